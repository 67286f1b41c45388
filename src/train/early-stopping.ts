import { FairkitError } from '../errors.js';
import { metricDirection } from '../metrics/registry.js';

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

/**
 * The direction a metric improves in, from the metric registry, when the caller names none. Ratios fair at 1
 * ('one') are maximised: fairkit's between-group ratios are min / max and never exceed 1, so closer to 1 is
 * larger (GCM's privileged EOP can exceed 1; give `mode` to treat it otherwise). A signed gap fair at 0 and a
 * descriptive value (selection rate, count) have no better end, so they need an explicit mode.
 */
export function defaultMode(metric: string): 'max' | 'min' {
  const better = metricDirection(metric);
  if (better === 'higher' || better === 'one') return 'max';
  if (better === 'lower') return 'min';
  const why = better === 'zero' ? 'is fair at 0 with either sign' : 'is neither better high nor low';
  throw new FairkitError(`early stopping on '${metric}' needs a mode: it ${why}`, {
    where: 'earlyStopping',
    fix: "give mode: 'max' or 'min', or stop on another metric",
  });
}
