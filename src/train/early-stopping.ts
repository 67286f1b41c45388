/**
 * Stops training when a validation metric has not improved for `patience` epochs and remembers the best
 * epoch, so the loop can restore the best weights.
 */
export class EarlyStopping {
  private best = Number.NEGATIVE_INFINITY;
  private bestEpoch = -1;
  private sinceBest = 0;

  constructor(readonly metric: string, readonly patience: number, readonly mode: 'max' | 'min') {}

  /** Records an epoch's value; returns true when this epoch is the best so far. */
  observe(epoch: number, value: number | null | undefined): boolean {
    if (value === null || value === undefined || Number.isNaN(value)) {
      this.sinceBest++;
      return false;
    }
    const signed = this.mode === 'max' ? value : -value;
    if (signed > this.best) {
      this.best = signed;
      this.bestEpoch = epoch;
      this.sinceBest = 0;
      return true;
    }
    this.sinceBest++;
    return false;
  }

  get shouldStop(): boolean {
    return this.sinceBest >= this.patience;
  }

  get bestEpochIndex(): number {
    return this.bestEpoch;
  }
}

/** Gaps are better small, scores better large: the direction a metric improves in, when the caller names none. */
export function defaultMode(metric: string): 'max' | 'min' {
  return /Difference|Sum|Std|logLoss/.test(metric) ? 'min' : 'max';
}
