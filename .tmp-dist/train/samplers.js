import { FairkitError } from '../errors.js';
/** Plain shuffled mini-batches: every row once per epoch (the last batch may be smaller). */
export class ShuffleSampler {
    nRows;
    batchSize;
    rng;
    constructor(nRows, batchSize, rng) {
        this.nRows = nRows;
        this.batchSize = batchSize;
        this.rng = rng;
        if (nRows <= 0)
            throw new FairkitError('the training split is empty');
    }
    epoch() {
        const order = this.rng.permutation(this.nRows);
        const batches = [];
        for (let start = 0; start < this.nRows; start += this.batchSize)
            batches.push(order.subarray(start, Math.min(start + this.batchSize, this.nRows)));
        return batches;
    }
}
/**
 * Oversampling as in GCM's baseline (Wang et al. 2022): every batch holds the same number of rows from each
 * non-empty (group, label) cell. Small cells are cycled through (so their rows repeat within an epoch),
 * large cells are drawn without replacement until exhausted and then reshuffled. An epoch has the nominal
 * number of batches, ceil(nRows / batchSize).
 */
export class BalancedCellSampler {
    batchSize;
    rng;
    cells;
    cursors;
    perCell;
    nBatches;
    constructor(groups, labels, batchSize, rng) {
        this.batchSize = batchSize;
        this.rng = rng;
        const byCell = new Map();
        for (let i = 0; i < groups.length; i++) {
            const cell = groups[i] * 2 + labels[i];
            let rows = byCell.get(cell);
            if (!rows)
                byCell.set(cell, (rows = []));
            rows.push(i);
        }
        if (byCell.size === 0)
            throw new FairkitError('the training split is empty');
        this.cells = [...byCell.keys()].sort((a, b) => a - b).map((cell) => rng.shuffle(Int32Array.from(byCell.get(cell))));
        this.cursors = this.cells.map(() => 0);
        this.perCell = Math.max(1, Math.floor(batchSize / this.cells.length));
        this.nBatches = Math.ceil(groups.length / batchSize);
    }
    epoch() {
        const batches = [];
        for (let b = 0; b < this.nBatches; b++) {
            const batch = new Int32Array(this.perCell * this.cells.length);
            let filled = 0;
            this.cells.forEach((rows, cell) => {
                for (let k = 0; k < this.perCell; k++) {
                    if (this.cursors[cell] === rows.length) {
                        this.rng.shuffle(rows);
                        this.cursors[cell] = 0;
                    }
                    batch[filled++] = rows[this.cursors[cell]++];
                }
            });
            batches.push(batch);
        }
        return batches;
    }
}
//# sourceMappingURL=samplers.js.map