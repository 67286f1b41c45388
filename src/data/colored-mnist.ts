/**
 * Colored MNIST (Arjovsky et al. 2019, "Invariant Risk Minimization"; used by GCM, IJCAI 2023, Table 5) built from
 * the MNIST IDX files in <data dir>/mnist (FAIRKIT_DATA_DIR, else ../shared/datasets; see its SOURCE.md):
 * - preliminary label ỹ = 0 for digits 0–4, 1 for 5–9; the label y is ỹ flipped with probability `labelNoise`;
 * - the colour (the sensitive attribute: 'red' = 0, 'green' = 1) is y flipped with probability `colourFlip`, so
 *   colour predicts the label better than the digit does and a plain model learns to rely on it;
 * - the image is the digit (pixel / 255) in the channel of its colour and zeros in the other: [H, W, 2] channels
 *   last, optionally downsampled 2×2 by averaging (IRM uses 14 × 14).
 * Defaults take IRM's label noise (0.25) and the colour flip of its first training environment (0.1) for both
 * training and test (IRM tests at a flip of 0.9); GCM gives no other numbers.
 * Training images: train10k (the first 10,000 MNIST training digits); test: t10k.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import type { EncodedDataset, GroupIndex } from './types.js';

export const MNIST_FOLDER = 'mnist';
export const MNIST_FILES = {
  train: { images: 'train10k-images-idx3-ubyte.gz', labels: 'train10k-labels-idx1-ubyte.gz' },
  test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
} as const;

export interface IdxImages {
  count: number;
  height: number;
  width: number;
  /** count × height × width uint8, row-major. */
  pixels: Uint8Array;
}

/** Reads an IDX image file (magic 2051), gzipped or not. */
export function readIdxImages(path: string): IdxImages {
  const bytes = readIdx(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== 2051) throw new FairkitError(`not an IDX image file (magic ${magic}, expected 2051)`, { where: path });
  const [count, height, width] = [view.getUint32(4), view.getUint32(8), view.getUint32(12)];
  if (bytes.length !== 16 + count * height * width) {
    throw new FairkitError(`holds ${bytes.length - 16} pixel bytes, expected ${count} × ${height} × ${width}`, { where: path });
  }
  return { count, height, width, pixels: bytes.subarray(16) };
}

/** Reads an IDX label file (magic 2049), gzipped or not. */
export function readIdxLabels(path: string): Uint8Array {
  const bytes = readIdx(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== 2049) throw new FairkitError(`not an IDX label file (magic ${magic}, expected 2049)`, { where: path });
  const count = view.getUint32(4);
  if (bytes.length !== 8 + count) throw new FairkitError(`holds ${bytes.length - 8} labels, expected ${count}`, { where: path });
  return bytes.subarray(8);
}

function readIdx(path: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (error) {
    throw new FairkitError(`cannot read (${(error as Error).message})`, { where: path, fix: 'Point FAIRKIT_DATA_DIR to a folder with an mnist/ sub-folder of IDX files' });
  }
  const gzipped = raw[0] === 0x1f && raw[1] === 0x8b;
  const bytes = gzipped ? gunzipSync(raw) : raw;
  if (bytes.length < 8) throw new FairkitError('too short for an IDX file', { where: path });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export interface ColoredMnistOptions {
  /** Probability that the label is the flipped digit-based label (default 0.25). */
  labelNoise?: number;
  /** Probability that the colour disagrees with the label (default 0.1). */
  colourFlip?: number;
  /** Average 2×2 blocks (28 × 28 → 14 × 14; default true). */
  downsample?: boolean;
  /** Use only the first `limit` images. */
  limit?: number;
  seed: number;
}

export interface ColoredMnist extends EncodedDataset {
  height: number;
  width: number;
  /** 2: red and green. */
  channels: number;
  /** The digit of each row, for analysis. */
  digits: Uint8Array;
}

export const COLOUR_GROUPS: Omit<GroupIndex, 'ids'> = { attributes: ['colour'], keys: ['red', 'green'], values: [{ colour: 'red' }, { colour: 'green' }] };

/** Colours MNIST digits (see the file comment) into a data set with features [H, W, 2] per row, channels last. */
export function colourMnist(images: IdxImages, digits: Uint8Array, options: ColoredMnistOptions): ColoredMnist {
  const { labelNoise = 0.25, colourFlip = 0.1, downsample = true, seed } = options;
  const where = 'Colored MNIST';
  if (digits.length !== images.count) throw new FairkitError(`${images.count} images but ${digits.length} labels`, { where });
  for (const [name, p] of [['labelNoise', labelNoise], ['colourFlip', colourFlip]] as const) {
    if (!(p >= 0 && p <= 1)) throw new FairkitError(`${name} must be a probability, got ${p}`, { where });
  }
  const count = Math.min(images.count, options.limit ?? images.count);
  const factor = downsample ? 2 : 1;
  const height = Math.floor(images.height / factor);
  const width = Math.floor(images.width / factor);
  const rng = new Rng(seed);
  const X = new Float32Array(count * height * width * 2);
  const y = new Uint8Array(count);
  const ids = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const preliminary = digits[n] >= 5 ? 1 : 0;
    y[n] = rng.uniform() < labelNoise ? 1 - preliminary : preliminary;
    ids[n] = rng.uniform() < colourFlip ? 1 - y[n] : y[n];
    const image = images.pixels.subarray(n * images.height * images.width, (n + 1) * images.height * images.width);
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        let sum = 0;
        for (let dr = 0; dr < factor; dr++) for (let dc = 0; dc < factor; dc++) sum += image[(r * factor + dr) * images.width + c * factor + dc];
        X[((n * height + r) * width + c) * 2 + ids[n]] = sum / (factor * factor * 255);
      }
    }
  }
  return {
    X,
    nRows: count,
    nFeatures: height * width * 2,
    featureNames: Array.from({ length: height * width * 2 }, (_, k) => `r${Math.floor(k / (2 * width))}c${Math.floor(k / 2) % width}${k % 2 === 0 ? 'red' : 'green'}`),
    y,
    groups: { ...COLOUR_GROUPS, ids },
    height,
    width,
    channels: 2,
    digits: digits.slice(0, count),
  };
}

/** The training (train10k) and test (t10k) sets of Colored MNIST from `<dataDir>/mnist`, coloured with different seeds. */
export function loadColoredMnist(dataDir: string, options: ColoredMnistOptions & { testLimit?: number }): { train: ColoredMnist; test: ColoredMnist } {
  const folder = join(dataDir, MNIST_FOLDER);
  const load = (split: 'train' | 'test', seed: number, limit?: number) =>
    colourMnist(readIdxImages(join(folder, MNIST_FILES[split].images)), readIdxLabels(join(folder, MNIST_FILES[split].labels)), { ...options, seed, limit });
  return { train: load('train', options.seed, options.limit), test: load('test', options.seed + 1, options.testLimit) };
}
