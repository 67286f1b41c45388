import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../rng.js';
import { BalancedCellSampler, ShuffleSampler } from './samplers.js';
test('shuffle sampler visits every row once per epoch in batches of the given size', () => {
    const batches = new ShuffleSampler(1003, 100, new Rng(1)).epoch();
    assert.equal(batches.length, 11);
    assert.deepEqual(batches.map((b) => b.length), [...Array(10).fill(100), 3]);
    const seen = batches.flatMap((b) => Array.from(b)).sort((a, b) => a - b);
    assert.deepEqual(seen, Array.from({ length: 1003 }, (_, i) => i));
});
test('balanced sampler fills every batch with equal (group, label) cells, repeating rows of small cells', () => {
    // 4 cells of very different sizes: (g0,y0) 700, (g0,y1) 200, (g1,y0) 90, (g1,y1) 10.
    const sizes = [700, 200, 90, 10];
    const groups = [];
    const labels = [];
    sizes.forEach((size, cell) => {
        for (let i = 0; i < size; i++) {
            groups.push(cell >> 1);
            labels.push(cell & 1);
        }
    });
    const sampler = new BalancedCellSampler(Int32Array.from(groups), Uint8Array.from(labels), 100, new Rng(3));
    const batches = sampler.epoch();
    assert.equal(batches.length, 10, 'an epoch has the nominal number of batches');
    for (const batch of batches) {
        const counts = [0, 0, 0, 0];
        for (const row of batch)
            counts[groups[row] * 2 + labels[row]]++;
        assert.deepEqual(counts, [25, 25, 25, 25]);
    }
    // The 10-row cell is cycled: each of its rows appears 25 times over the epoch.
    const smallCell = new Map();
    for (const batch of batches)
        for (const row of batch)
            if (row >= 990)
                smallCell.set(row, (smallCell.get(row) ?? 0) + 1);
    assert.deepEqual([...smallCell.values()], Array(10).fill(25));
});
//# sourceMappingURL=samplers.test.js.map