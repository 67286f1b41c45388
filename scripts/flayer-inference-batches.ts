/**
 * flayer and projection at several inference batch sizes (docs/methods/flayer-inference.md): each model is trained
 * once per seed (GCM protocol: split, network and optimiser as `fairkit bench --protocol gcm`), then its test split
 * is scored at every batch size with fairPredict (exact projection from b_τ = 100 rows, a fresh primal–dual stream
 * below). Prints markdown tables, mean ± sd over seeds: the metrics and gaps, then the stream's largest dual variable
 * λ_max (0 when no batch was streamed) and the spread (sd) of the raw and adjusted test logits.
 *
 *   npx tsx scripts/flayer-inference-batches.ts --dataset adult --sensitive sex --seeds 3 --batches 1,16,128,whole
 *
 * Options: --epsilon (default 0.05), --epochs (default: the protocol's 50), --data-dir.
 */
import { parseArgs } from 'node:util';
import { getProtocol } from '../src/bench/protocols.js';
import { makeTrial } from '../src/bench/trial.js';
import { openDataset } from '../src/data/open-dataset.js';
import { prepareDataset } from '../src/data/prepare.js';
import { fairPredict, sigmoid } from '../src/flayer/fair-predict.js';
import type { MetricReport } from '../src/metrics/report-types.js';
import { initBackend } from '../src/nn/backend.js';
import { DEFAULT_PREDICT_BATCH, predictHead } from '../src/nn/predict.js';
import { trainAndEvaluate } from '../src/pipeline/train-and-evaluate.js';
import { evaluateOn } from '../src/train/evaluation.js';
import type { TrainingOptionsInput } from '../src/train/options.js';

const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'adult' },
    sensitive: { type: 'string', default: 'sex' },
    seeds: { type: 'string', default: '3' },
    batches: { type: 'string', default: '1,16,128,whole' },
    epsilon: { type: 'string', default: '0.05' },
    epochs: { type: 'string' },
    'data-dir': { type: 'string' },
  },
});
const seeds = Number(values.seeds);
const epsilon = Number(values.epsilon);
const batches = values.batches.split(',').map((b) => (b === 'whole' ? 'whole' : Number(b)));

await initBackend('wasm');
const dataset = await openDataset({ dataset: values.dataset, sensitive: [values.sensitive], dataDir: values['data-dir'] });
const protocol = getProtocol('gcm');
type Row = { method: string; batch: string; accuracy: number; ap: number; pooled: number; weighted: number; lambdaMax: number; sdRaw: number; sdAdjusted: number };
const sd = (xs: ArrayLike<number>) => {
  const values = Array.from(xs);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
};
const rows: Row[] = [];
for (let seed = 0; seed < seeds; seed++) {
  const trial = makeTrial({ dataset: values.dataset, sensitive: [values.sensitive], protocol: 'gcm', method: 'flayer', params: { epsilon }, seed, fold: null, training: {} });
  const prepared = prepareDataset(protocol.adaptDataset(dataset), { seed, split: (strata) => protocol.split(strata, trial) });
  const options = { ...protocol.training(prepared.train.nRows), ...(values.epochs ? { epochs: Number(values.epochs) } : {}), seed, progress: 'silent' } as TrainingOptionsInput;
  const { test } = prepared;
  for (const method of ['flayer', 'projection']) {
    const started = Date.now();
    const { fitted } = trainAndEvaluate({ prepared, method, params: { epsilon }, options });
    for (const batch of batches) {
      const batchSize = batch === 'whole' ? test.nRows : batch;
      const result = fairPredict(fitted.model, { X: test.X, nRows: test.nRows, groups: test.groups.ids }, { batchSize });
      const report = evaluateOn(test, sigmoid(result.outputs)) as MetricReport;
      const sdRaw = sd(predictHead(fitted.model, { X: test.X, nRows: test.nRows }, { batchSize: DEFAULT_PREDICT_BATCH, head: 'raw' }));
      rows.push({ method, batch: String(batch), accuracy: Number(report.overall.accuracy), ap: Number(report.overall.ap), pooled: result.pooledGap, weighted: result.weightedAverageGap, lambdaMax: result.streamReport?.lambdaMax ?? 0, sdRaw, sdAdjusted: sd(result.outputs) });
    }
    fitted.model.dispose();
    process.stderr.write(`seed ${seed} ${method}: trained and scored in ${((Date.now() - started) / 1000).toFixed(0)} s (${test.nRows} test rows)\n`);
  }
}

const meanSd = (xs: number[], scale = 1, digits = 2) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return `${(mean * scale).toFixed(digits)} ± ${(sd * scale).toFixed(digits)}`;
};
console.log('| method | inference batch | accuracy ×100 | AP ×100 | pooled gap (logits) | batch-weighted gap (logits) |');
console.log('|---|---|---|---|---|---|');
for (const method of ['flayer', 'projection']) {
  for (const batch of batches.map(String)) {
    const of = rows.filter((row) => row.method === method && row.batch === batch);
    console.log(`| ${method} | ${batch} | ${meanSd(of.map((r) => r.accuracy), 100)} | ${meanSd(of.map((r) => r.ap), 100)} | ${meanSd(of.map((r) => r.pooled), 1, 4)} | ${meanSd(of.map((r) => r.weighted), 1, 4)} |`);
  }
}

console.log('');
console.log('| method | inference batch | λ_max | sd of raw logits | sd of adjusted logits |');
console.log('|---|---|---|---|---|');
for (const method of ['flayer', 'projection']) {
  for (const batch of batches.map(String)) {
    const of = rows.filter((row) => row.method === method && row.batch === batch);
    console.log(`| ${method} | ${batch} | ${meanSd(of.map((r) => r.lambdaMax))} | ${meanSd(of.map((r) => r.sdRaw))} | ${meanSd(of.map((r) => r.sdAdjusted))} |`);
  }
}
