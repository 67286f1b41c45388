import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { colourMnist, loadColoredMnist, MNIST_FILES, MNIST_FOLDER, readIdxImages, readIdxLabels } from './colored-mnist.js';
import { candidateDataDir } from './data-dir.js';
function idx(magic, dims, body) {
    const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
    header.setUint32(0, magic);
    dims.forEach((d, i) => header.setUint32(4 + 4 * i, d));
    return Uint8Array.from([...new Uint8Array(header.buffer), ...body]);
}
describe('Colored MNIST', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fairkit-mnist-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    test('reads IDX images and labels, gzipped or not, and rejects other files with a FairkitError', () => {
        // Two 2×4 images: 0..7 and 8..15.
        writeFileSync(join(dir, 'images.gz'), gzipSync(idx(2051, [2, 2, 4], Array.from({ length: 16 }, (_, i) => i))));
        writeFileSync(join(dir, 'labels'), idx(2049, [2], [3, 9]));
        const images = readIdxImages(join(dir, 'images.gz'));
        assert.deepEqual({ count: images.count, height: images.height, width: images.width }, { count: 2, height: 2, width: 4 });
        assert.deepEqual(Array.from(images.pixels), Array.from({ length: 16 }, (_, i) => i));
        assert.deepEqual(Array.from(readIdxLabels(join(dir, 'labels'))), [3, 9]);
        assert.throws(() => readIdxImages(join(dir, 'labels')), (e) => e instanceof FairkitError && /magic 2049, expected 2051/.test(e.message));
        writeFileSync(join(dir, 'short'), idx(2051, [3, 2, 4], [1, 2, 3]));
        assert.throws(() => readIdxImages(join(dir, 'short')), /holds 3 pixel bytes, expected 3 × 2 × 4/);
        assert.throws(() => readIdxLabels(join(dir, 'missing')), (e) => e instanceof FairkitError && /missing: cannot read/.test(e.message));
    });
    test('colours each digit into the channel of its colour, averaging 2×2 blocks; labels from digits ≥ 5', () => {
        const pixels = Uint8Array.from({ length: 2 * 4 * 4 }, (_, i) => (i * 7) % 256);
        const data = colourMnist({ count: 2, height: 4, width: 4, pixels }, Uint8Array.from([2, 7]), { labelNoise: 0, colourFlip: 0, seed: 1 });
        assert.deepEqual(Array.from(data.y), [0, 1]);
        assert.deepEqual(Array.from(data.groups.ids), [0, 1], 'without flips the colour is the label');
        assert.equal(data.nFeatures, 2 * 2 * 2);
        for (let n = 0; n < 2; n++) {
            for (let r = 0; r < 2; r++) {
                for (let c = 0; c < 2; c++) {
                    const at = (dr, dc) => pixels[n * 16 + (2 * r + dr) * 4 + 2 * c + dc];
                    const mean = (at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1)) / (4 * 255);
                    const base = ((n * 2 + r) * 2 + c) * 2;
                    assert.ok(Math.abs(data.X[base + n] - mean) < 1e-6);
                    assert.equal(data.X[base + 1 - n], 0);
                }
            }
        }
        assert.throws(() => colourMnist({ count: 2, height: 4, width: 4, pixels }, Uint8Array.from([2]), { seed: 1 }), /2 images but 1 labels/);
        assert.throws(() => colourMnist({ count: 2, height: 4, width: 4, pixels }, Uint8Array.from([2, 7]), { seed: 1, colourFlip: 2 }), /colourFlip must be a probability/);
    });
    const mnistDir = join(candidateDataDir().path, MNIST_FOLDER);
    const present = existsSync(join(mnistDir, MNIST_FILES.test.images));
    test('the shared MNIST files: known first labels, and label noise and colour flips at their rates', { skip: present ? false : `MNIST not found in ${mnistDir} (set FAIRKIT_DATA_DIR)` }, () => {
        // MNIST's first test digit is a 7 and its first training digit a 5.
        assert.equal(readIdxLabels(join(mnistDir, MNIST_FILES.test.labels))[0], 7);
        assert.equal(readIdxLabels(join(mnistDir, MNIST_FILES.train.labels))[0], 5);
        const { train, test } = loadColoredMnist(candidateDataDir().path, { seed: 3 });
        assert.equal(train.nRows, 10000);
        assert.equal(test.nRows, 10000);
        assert.deepEqual([train.height, train.width, train.channels], [14, 14, 2]);
        const rate = (flags) => flags.filter(Boolean).length / flags.length;
        const noise = rate(Array.from(train.y, (label, i) => label !== (train.digits[i] >= 5 ? 1 : 0)));
        const flips = rate(Array.from(train.groups.ids, (colour, i) => colour !== train.y[i]));
        // Binomial sd at n = 10,000: ≈ 0.004 and 0.003.
        assert.ok(Math.abs(noise - 0.25) < 0.02, `label noise ${noise}`);
        assert.ok(Math.abs(flips - 0.1) < 0.015, `colour flips ${flips}`);
    });
});
//# sourceMappingURL=colored-mnist.test.js.map