/**
 * Stops training when a validation metric has not improved for `patience` epochs and remembers the best
 * epoch, so the loop can restore the best weights.
 */
export declare class EarlyStopping {
    readonly metric: string;
    readonly patience: number;
    readonly mode: 'max' | 'min';
    readonly minDelta: number;
    private best;
    private bestEpoch;
    private sinceBest;
    constructor(metric: string, patience: number, mode?: 'max' | 'min', minDelta?: number);
    /** Records an epoch's value; returns true when this epoch is the best so far. */
    observe(epoch: number, value: number | null | undefined): boolean;
    get shouldStop(): boolean;
    get bestValue(): number | null;
    get bestEpochIndex(): number;
}
