/**
 * Stops training when a validation metric has not improved for `patience` epochs and remembers the best
 * epoch, so the loop can restore the best weights.
 */
export class EarlyStopping {
  private best = Number.NEGATIVE_INFINITY;
  private bestEpoch = -1;
  private sinceBest = 0;

  constructor(readonly metric: string, readonly patience: number, readonly mode: 'max' | 'min' = 'max', readonly minDelta = 0) {}

  /** Records an epoch's value; returns true when this epoch is the best so far. */
  observe(epoch: number, value: number | null | undefined): boolean {
    if (value === null || value === undefined || Number.isNaN(value)) {
      this.sinceBest++;
      return false;
    }
    const signed = this.mode === 'max' ? value : -value;
    if (signed > this.best + this.minDelta) {
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

  get bestValue(): number | null {
    return this.bestEpoch < 0 ? null : this.mode === 'max' ? this.best : -this.best;
  }

  get bestEpochIndex(): number {
    return this.bestEpoch;
  }
}
