/**
 * The F-Layer methods and their baselines on a standard data set (default Adult, sensitive as the loader says):
 * for each seed (split and training seed alike) and each run, fit on the train split (MLP 200, Adam 1e-3, batch
 * 2000, 20 epochs, as experiments/baselines.ts), then score the test split at each inference batch size and print
 * test accuracy, AP, ΔDP, the pooled meanLogitGap and the batch-weighted gap, then the mean ± sd over seeds.
 *
 * Run: node --import tsx experiments/flayer-adult.ts [--dataset adult] [--sensitive sex,race] [--seeds 0,1,2]
 *        [--epochs 20] [--batches whole] [--out results.jsonl] [run ...]
 *      node --import tsx experiments/flayer-adult.ts --from results.jsonl   (the tables of earlier runs, no training)
 *   --cache DIR keeps each (data set, sensitive, seed, epochs, run)'s raw test logits and its projection settings in
 *   DIR and reuses them on a later run instead of training (the stream's adjustment is recomputed every time, so a
 *   change of the stream can be measured on the same networks).
 *   where a run is `method` or `method:key=value,key=value`
 *   (default: erm flayer projection penalty penalty:form=squared strict-penalty),
 *   and --batches lists inference batch sizes (`whole`: the test split as one batch).
 *
 * Inference at a batch size: a flayer/projection model goes through fairPredict (the exact projection of each batch
 * of at least b_τ = 100 rows, a fresh primal–dual stream below; docs/methods/flayer-inference.md); every other model's
 * scores do not depend on the batch size, only its batch-weighted gap does (unadjustedBatchGap). `projection` is not
 * trained: its weights are `erm`'s with the same seed (tested in src/methods/flayer.test.ts), so it wraps the `erm`
 * model of the same seed (an `erm` run is added when missing). With several sensitive attributes it also prints each
 * attribute's own pooled gap of mean logits (what constraint=marginal bounds); meanLogitGap is over the combined groups.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveDataDir } from '../src/data/data-dir.js';
import { loadDataset } from '../src/data/loaders/index.js';
import { prepareDataset } from '../src/data/prepare.js';
import type { EncodedDataset } from '../src/data/types.js';
import { largestGap } from '../src/flayer/fair-inference.js';
import { fairInference } from '../src/flayer/fair-inference.js';
import { isFairProjection, sigmoid } from '../src/flayer/fair-predict.js';
import type { ProjectedModelConfig } from '../src/flayer/projected-model.js';
import { getMethod } from '../src/methods/registry.js';
import type { MetricReport } from '../src/metrics/report-types.js';
import { initBackend } from '../src/nn/backend.js';
import type { Model } from '../src/nn/model.js';
import { DEFAULT_PREDICT_BATCH, predictHead } from '../src/nn/predict.js';
import { evaluateOn } from '../src/train/evaluation.js';
import { fit, parseMethodParams } from '../src/train/fit.js';
import { parseRun, type Run } from './run-spec.js';

/** One (run, seed, inference batch) result: what the tables average. */
interface Outcome {
  dataset: string;
  sensitive: string;
  run: string;
  seed: number;
  batch: string;
  values: Record<string, number>;
}

const FIRST = ['accuracy', 'ap', 'pooled gap', 'batch-weighted gap', 'ΔDP'];

/** The largest gap between the mean logits of one attribute's values (rows mapped through their combined group). */
function attributeGap(logits: ArrayLike<number>, test: EncodedDataset, attribute: string): number {
  const values = [...new Set(test.groups.values.map((record) => record[attribute]))];
  const valueOf = test.groups.values.map((record) => values.indexOf(record[attribute]));
  return largestGap(logits, Int32Array.from(test.groups.ids, (g) => (g >= 0 ? valueOf[g] : -1)), values.length);
}

/**
 * The batch-weighted gap Σ_t n_t·g_t / N of outputs that no batch adjusts (erm, the penalties), measured as
 * fairInference measures an adjusted pass: g_t is the largest pairwise gap of the batch's group means when it holds
 * two or more groups; for a single-group batch below b_τ it is the stream's pooled gap, the largest gap between that
 * group's running mean (including the batch) and the other groups' running means (0 before another group is seen);
 * a single-group batch of b_τ rows or more counts 0, as an exact batch does.
 */
export function unadjustedBatchGap(outputs: Float32Array | Float64Array, groups: Int32Array, nGroups: number, batchSize: number, threshold = 100): number {
  const sums = new Float64Array(nGroups);
  const counts = new Float64Array(nGroups);
  let weighted = 0;
  let rows = 0;
  for (let start = 0; start < outputs.length; start += batchSize) {
    const end = Math.min(outputs.length, start + batchSize);
    const batch = groups.subarray(start, end);
    const present = new Set([...batch].filter((g) => g >= 0));
    for (let i = start; i < end; i++) {
      if (groups[i] < 0) continue;
      sums[groups[i]] += outputs[i];
      counts[groups[i]] += 1;
    }
    const n = [...batch].filter((g) => g >= 0).length;
    if (present.size >= 2) weighted += n * largestGap(outputs.subarray(start, end), batch, nGroups);
    else if (present.size === 1 && end - start < threshold) {
      const [g] = present;
      const own = sums[g] / counts[g];
      let gap = 0;
      for (let h = 0; h < nGroups; h++) if (h !== g && counts[h] > 0) gap = Math.max(gap, Math.abs(own - sums[h] / counts[h]));
      weighted += n * gap;
    }
    rows += n;
  }
  return rows === 0 ? 0 : weighted / rows;
}

interface Args { dataset: string; sensitive?: string[]; seeds: number[]; epochs: number; batches: string[]; out?: string; from?: string; cache?: string; runs: Run[] }

/** What scoring needs from a trained model: its raw test logits and, for flayer/projection, the projection settings. */
interface Scored { raw: number[]; projection?: Pick<ProjectedModelConfig, 'epsilon' | 'nGroups' | 'marginal' | 'box'> }

function parseArgs(argv: string[]): Args {
  const args: Args = { dataset: 'adult', seeds: [0, 1, 2], epochs: 20, batches: ['whole'], runs: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dataset') args.dataset = argv[++i];
    else if (argv[i] === '--sensitive') args.sensitive = argv[++i].split(',');
    else if (argv[i] === '--seeds') args.seeds = argv[++i].split(',').map(Number);
    else if (argv[i] === '--epochs') args.epochs = Number(argv[++i]);
    else if (argv[i] === '--batches') args.batches = argv[++i].split(',');
    else if (argv[i] === '--out') args.out = argv[++i];
    else if (argv[i] === '--from') args.from = argv[++i];
    else if (argv[i] === '--cache') args.cache = argv[++i];
    else args.runs.push(parseRun(argv[i]));
  }
  for (const batch of args.batches) if (batch !== 'whole' && !(Number.isInteger(Number(batch)) && Number(batch) >= 1)) throw new Error(`--batches: '${batch}' is neither a positive integer nor 'whole'`);
  const defaults = ['erm', 'flayer', 'projection', 'penalty', 'penalty:form=squared', 'strict-penalty'];
  if (args.runs.length === 0) args.runs = defaults.map(parseRun);
  return args;
}

const meanSd = (values: number[], scale = 1, digits = 4) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return `${(mean * scale).toFixed(digits)} ± ${(sd * scale).toFixed(digits)}`;
};
/** Accuracy, AP and ΔDP ×100 with two decimals; gaps in logits with four. */
const cellOf = (key: string, values: number[]) => (['accuracy', 'ap', 'ΔDP'].includes(key) ? meanSd(values, 100, 2) : meanSd(values));

/**
 * Markdown tables, one per (data set, sensitive attributes): mean ± sd over the seeds. flayer and projection get a
 * row per inference batch; the other methods' scores do not depend on it, so they get one row whose batch-weighted
 * gap lists the means at each batch size (in the order of the header).
 */
export function tables(outcomes: Outcome[]): string {
  const out: string[] = [];
  for (const setting of new Set(outcomes.map((o) => `${o.dataset} / ${o.sensitive}`))) {
    const of = outcomes.filter((o) => `${o.dataset} / ${o.sensitive}` === setting);
    const batches = [...new Set(of.map((o) => o.batch))];
    const keys = [...FIRST, ...Object.keys(of[0].values).filter((key) => !FIRST.includes(key))];
    const header = keys.map((key) => (['accuracy', 'ap', 'ΔDP'].includes(key) ? `${key} ×100` : key));
    out.push(`${setting}, seeds ${[...new Set(of.map((o) => o.seed))].join(',')}, inference batches ${batches.join(' / ')}`, '', `| method | inference batch | ${header.join(' | ')} |`, `|---|---|${keys.map(() => '---|').join('')}`);
    for (const run of new Set(of.map((o) => o.run))) {
      const adjusts = /^(flayer|projection)\b/.test(run);
      for (const batch of adjusts ? batches : [batches[batches.length - 1]]) {
        const cell = of.filter((o) => o.run === run && o.batch === batch);
        const weighted = () => batches.map((b) => meanSd(of.filter((o) => o.run === run && o.batch === b).map((o) => o.values['batch-weighted gap'])).split(' ')[0]).join(' / ');
        out.push(`| ${run} | ${adjusts ? batch : 'any'} | ${keys.map((key) => (key === 'batch-weighted gap' && !adjusts ? weighted() : cellOf(key, cell.map((o) => o.values[key])))).join(' | ')} |`);
      }
    }
    out.push('');
  }
  return out.join('\n');
}

export async function benchmarkFlayer(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  if (args.from) {
    console.log(tables(readFileSync(args.from, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as Outcome)));
    return;
  }
  const { dataset: name, sensitive, seeds, epochs, batches, runs } = args;
  const backend = await initBackend();
  const dataset = await loadDataset(name, resolveDataDir());
  if (sensitive) dataset.spec = { ...dataset.spec, sensitive };
  const sensitiveLabel = dataset.spec.sensitive.join('×');
  console.log(`${name}, ${backend}, seeds ${seeds.join(',')}, ${epochs} epochs, sensitive ${dataset.spec.sensitive.join(',')}, inference batches ${batches.join(',')}`);
  // projection wraps erm's model: train erm first (add it when missing, without reporting it).
  const trained = runs.some((run) => run.method === 'projection') && !runs.some((run) => run.label === 'erm') ? [parseRun('erm'), ...runs] : runs;
  const reported = new Set(runs.map((run) => run.label));
  const outcomes: Outcome[] = [];
  for (const seed of seeds) {
    const { train, test } = prepareDataset(dataset, { seed });
    const rows = { X: test.X, nRows: test.nRows, groups: test.groups.ids };
    let erm: Model | undefined;
    for (const run of [...trained].sort((a, b) => Number(a.method === 'projection') - Number(b.method === 'projection'))) {
      const started = Date.now();
      const cacheFile = args.cache && join(args.cache, `${name}-${sensitiveLabel}-seed${seed}-epochs${epochs}-${run.label.replace(/[^\w=.-]+/g, '_')}.json`);
      let scored: Scored;
      if (cacheFile && existsSync(cacheFile)) scored = JSON.parse(readFileSync(cacheFile, 'utf8')) as Scored;
      else {
        const method = getMethod(run.method);
        let model: Model;
        if (run.method === 'projection') {
          if (!erm) throw new Error('projection needs the erm model of its seed (train it, or clear its cache entry)');
          model = method.model!(erm, parseMethodParams(method, run.params), train);
        } else {
          model = fit({ method, params: run.params, train, options: { hidden: [200], batchSize: 2000, learningRate: 1e-3, epochs, seed, progress: 'silent' } }).model;
          if (run.label === 'erm') erm = model;
        }
        const config = model.config;
        scored = { raw: [...predictHead(model, rows, { batchSize: DEFAULT_PREDICT_BATCH, head: isFairProjection(config) ? 'raw' : 'logits' })] };
        if (isFairProjection(config)) scored.projection = { epsilon: config.epsilon, nGroups: config.nGroups, marginal: config.marginal, box: config.box };
        if (cacheFile) {
          mkdirSync(args.cache!, { recursive: true });
          writeFileSync(cacheFile, JSON.stringify(scored));
        }
        if (run.label !== 'erm' && run.method !== 'projection') model.dispose();
      }
      const raw = Float64Array.from(scored.raw);
      for (const batch of batches) {
        const batchSize = batch === 'whole' ? test.nRows : Number(batch);
        let logits: ArrayLike<number> = raw;
        let weighted: number;
        const { projection } = scored;
        if (projection) {
          // As fairPredict does from the model (the raw head, then fairInference with the model's settings).
          const result = fairInference(raw, test.groups.ids, { batchSize, epsilon: projection.epsilon, groups: projection.nGroups, marginal: projection.marginal, ...(projection.box ? { box: projection.box } : {}) });
          logits = result.outputs;
          weighted = result.weightedAverageGap;
        } else weighted = unadjustedBatchGap(raw, test.groups.ids, test.groups.keys.length, batchSize);
        const report = evaluateOn(test, sigmoid(logits), logits) as MetricReport;
        const values: Record<string, number> = {
          accuracy: Number(report.overall.accuracy),
          ap: Number(report.overall.ap),
          'pooled gap': Number(report.fairness.meanLogitGap),
          'batch-weighted gap': weighted,
          ΔDP: Number(report.fairness.demographicParityDifference),
        };
        const attributes = test.groups.attributes;
        if (attributes.length > 1) for (const attribute of attributes) values[`pooled gap ${attribute}`] = attributeGap(logits, test, attribute);
        if (!reported.has(run.label)) continue;
        const outcome: Outcome = { dataset: name, sensitive: sensitiveLabel, run: run.label, seed, batch, values };
        outcomes.push(outcome);
        if (args.out) appendFileSync(args.out, `${JSON.stringify(outcome)}\n`);
        console.log(`seed ${seed} ${run.label} batch ${batch} (${test.nRows} test rows): ${Object.entries(values).map(([key, value]) => `${key} ${value.toFixed(4)}`).join(', ')}`);
      }
      process.stderr.write(`seed ${seed} ${run.label}: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    }
    erm?.dispose();
  }
  console.log(`\nmean ± sd over seeds ${seeds.join(',')}:\n`);
  console.log(tables(outcomes));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchmarkFlayer(process.argv.slice(2));
}
