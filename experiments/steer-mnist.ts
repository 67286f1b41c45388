/**
 * The multi-class steering case of issue 13: MNIST digits (10 classes) with a planted group shift. Each digit gets a
 * group, 1 with probability 0.8 for digits 0–4 and 0.2 for 5–9 (so the group is correlated with the class), and a
 * group-1 image is dimmed and put on a grey background (pixel·0.6 + 0.25), a change a network picks up. A small MLP
 * (784 → 8 ReLU → 10, Adam 1e-3, batch 250, softmax cross-entropy) is trained on the first --train-rows training digits;
 * its 8-unit hidden layer is the representation. It is steered with each method (fitSteering on the training
 * rows; training rows with their labels, test rows with their group's test-time map), a multinomial logistic head
 * (C = 1, the group classifier's Newton fit) is refitted, and the head's test accuracy and RMS TPR gap (the root mean
 * square over digits of the TPR difference between the groups) are reported on the first --test-rows test digits.
 *
 * Run: node --import tsx experiments/steer-mnist.ts [--seeds 0] [--epochs 3] [--train-rows 4000] [--test-rows 2000]
 * (small: the multinomial head's Newton fit is O(rows · (10·9)²) per step)
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { MNIST_FILES, MNIST_FOLDER, readIdxImages, readIdxLabels } from '../src/data/colored-mnist.js';
import { resolveDataDir } from '../src/data/data-dir.js';
import { initBackend } from '../src/nn/backend.js';
import { buildMlp } from '../src/nn/mlp.js';
import { predictLastHidden } from '../src/nn/predict.js';
import { Rng } from '../src/rng.js';
import { applySteering, fitGroupClassifier, fitSteering, groupProbabilities, type SteerMethod } from '../src/steer/index.js';

const HIDDEN = 8;
const DIGITS = Array.from({ length: 10 }, (_, k) => String(k));

function parseArgs(argv: string[]) {
  const args = { seeds: [0], epochs: 3, trainRows: 4000, testRows: 2000 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seeds') args.seeds = argv[++i].split(',').map(Number);
    else if (argv[i] === '--epochs') args.epochs = Number(argv[++i]);
    else if (argv[i] === '--test-rows') args.testRows = Number(argv[++i]);
    else if (argv[i] === '--train-rows') args.trainRows = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return args;
}

/** Pixels in [0, 1] with the planted group shift, the groups and the digits of the first `limit` images. */
function plantedSplit(images: string, labels: string, limit: number, rng: Rng) {
  const { count, height, width, pixels } = readIdxImages(images);
  const digits = readIdxLabels(labels);
  const n = Math.min(limit, count);
  const d = height * width;
  const X = new Float32Array(n * d);
  const groups = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    groups[i] = rng.uniform() < (digits[i] < 5 ? 0.8 : 0.2) ? 1 : 0;
    for (let j = 0; j < d; j++) X[i * d + j] = groups[i] ? (pixels[i * d + j] / 255) * 0.6 + 0.25 : pixels[i * d + j] / 255;
  }
  return { X, nRows: n, d, groups, y: Int32Array.from(digits.subarray(0, n)) };
}

function train(split: ReturnType<typeof plantedSplit>, epochs: number, seed: number) {
  const model = buildMlp({ inputDim: split.d, hidden: [HIDDEN], activation: 'relu', outputDim: 10, seed });
  const optimizer = tf.train.adam(1e-3);
  const rng = new Rng(seed);
  const order = Array.from({ length: split.nRows }, (_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let start = 0; start < order.length; start += 250) {
      const batch = order.slice(start, start + 250);
      const x = tf.tensor2d(Float32Array.from(batch.flatMap((i) => Array.from(split.X.subarray(i * split.d, (i + 1) * split.d)))), [batch.length, split.d]);
      const y = tf.oneHot(tf.tensor1d(batch.map((i) => split.y[i]), 'int32'), 10);
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x)) as tf.Scalar, false, model.variables);
      tf.dispose([x, y]);
    }
  }
  optimizer.dispose();
  return model;
}

/** Test accuracy and RMS over digits of the TPR gap between the two groups, for a head fitted on `trainH`. */
function headMetrics(trainH: Float64Array, trainY: Int32Array, testH: Float64Array, test: ReturnType<typeof plantedSplit>) {
  const head = fitGroupClassifier(trainH, HIDDEN, trainY, DIGITS, { c: 1 });
  const hits = [new Float64Array(10), new Float64Array(10)];
  const counts = [new Float64Array(10), new Float64Array(10)];
  let correct = 0;
  for (let i = 0; i < test.nRows; i++) {
    const p = groupProbabilities(head, testH.subarray(i * HIDDEN, (i + 1) * HIDDEN));
    const predicted = p.indexOf(Math.max(...p));
    const right = predicted === test.y[i] ? 1 : 0;
    correct += right;
    hits[test.groups[i]][test.y[i]] += right;
    counts[test.groups[i]][test.y[i]] += 1;
  }
  const gaps = DIGITS.map((_, k) => hits[0][k] / counts[0][k] - hits[1][k] / counts[1][k]);
  return { accuracy: correct / test.nRows, rmsTprGap: Math.sqrt(gaps.reduce((s, g) => s + g * g, 0) / gaps.length) };
}

export async function steerMnist(argv: string[]): Promise<void> {
  const { seeds, epochs, trainRows, testRows } = parseArgs(argv);
  const backend = await initBackend();
  const dir = join(resolveDataDir(), MNIST_FOLDER);
  console.log(`MNIST with a planted group shift, ${backend}, seeds ${seeds.join(',')}, MLP [${HIDDEN}], ${epochs} epochs, ${trainRows} training and ${testRows} test digits`);
  const results = new Map<string, { accuracy: number; rmsTprGap: number }[]>();
  for (const seed of seeds) {
    const rng = new Rng(1000 + seed);
    const trainSplit = plantedSplit(join(dir, MNIST_FILES.train.images), join(dir, MNIST_FILES.train.labels), trainRows, rng);
    const testSplit = plantedSplit(join(dir, MNIST_FILES.test.images), join(dir, MNIST_FILES.test.labels), testRows, rng);
    const model = train(trainSplit, epochs, seed);
    const [trainH, testH] = [trainSplit, testSplit].map((s) => Float64Array.from(predictLastHidden(model, s, { batchSize: 2000 }).values));
    model.dispose();
    const runs: [string, () => ReturnType<typeof headMetrics>][] = [['raw', () => headMetrics(trainH, trainSplit.y, testH, testSplit)]];
    for (const method of ['ideal', 'ot', 'mean', 'leace'] as SteerMethod[]) {
      runs.push([method, () => {
        const map = fitSteering({ rows: trainH, dim: HIDDEN, groups: trainSplit.groups, labels: trainSplit.y, features: Array.from({ length: HIDDEN }, (_, j) => `h${j}`), groupNames: ['plain', 'dimmed'], labelNames: DIGITS, sensitive: 'group', label: 'digit' }, { method });
        const [steeredTrain, steeredTest] = [trainH, testH].map((h) => Float64Array.from(h));
        applySteering(map, steeredTrain, Array.from(trainSplit.groups, (g) => (g ? 'dimmed' : 'plain')), Array.from(trainSplit.y, String));
        applySteering(map, steeredTest, Array.from(testSplit.groups, (g) => (g ? 'dimmed' : 'plain')), null);
        return headMetrics(steeredTrain, trainSplit.y, steeredTest, testSplit);
      }]);
    }
    for (const [label, run] of runs) {
      const outcome = run();
      results.set(label, [...(results.get(label) ?? []), outcome]);
      console.log(`seed ${seed} ${label}: accuracy ${outcome.accuracy.toFixed(4)}, RMS TPR gap ${outcome.rmsTprGap.toFixed(4)}`);
    }
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  console.log('\n| representation | accuracy | RMS TPR gap |\n| --- | --- | --- |');
  for (const [label, outcomes] of results) console.log(`| ${label} | ${mean(outcomes.map((o) => o.accuracy)).toFixed(4)} | ${mean(outcomes.map((o) => o.rmsTprGap)).toFixed(4)} |`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await steerMnist(process.argv.slice(2));
}
