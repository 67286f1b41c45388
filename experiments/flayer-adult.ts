/**
 * The F-Layer methods and their baselines on a standard data set (default Adult, sensitive as the loader says):
 * for each seed (split and training seed alike) and each run, fit on the train split (MLP 200, Adam 1e-3, batch
 * 2000, 20 epochs, as experiments/baselines.ts) and print test accuracy, AP, meanLogitGap and ΔDP, the whole test
 * split predicted as ONE batch (the projection acts on the batch it is given), then the mean ± sd over seeds.
 *
 * Run: node --import tsx experiments/flayer-adult.ts [--dataset adult] [--sensitive sex,race] [--seeds 0,1,2] [--epochs 20] [run ...]
 *        where a run is `method` or `method:key=value,key=value`
 *        (default: erm flayer projection penalty penalty:form=squared strict-penalty).
 * With several sensitive attributes it also prints each attribute's own mean-logit gap (what constraint=marginal
 * bounds); meanLogitGap is over the combined groups.
 */
import { pathToFileURL } from 'node:url';
import { resolveDataDir } from '../src/data/data-dir.js';
import { loadDataset } from '../src/data/loaders/index.js';
import { prepareDataset } from '../src/data/prepare.js';
import type { EncodedDataset } from '../src/data/types.js';
import { getMethod } from '../src/methods/registry.js';
import type { MetricReport } from '../src/metrics/report-types.js';
import { initBackend } from '../src/nn/backend.js';
import { evaluateOn, outputsOn } from '../src/train/evaluation.js';
import { fit } from '../src/train/fit.js';

interface Run {
  label: string;
  method: string;
  params: Record<string, unknown>;
}

const METRICS = ['accuracy', 'ap', 'meanLogitGap', 'demographicParityDifference'] as const;
type Outcome = Record<string, number>;

/** The largest gap between the mean logits of one attribute's values (rows mapped through their combined group). */
function attributeGap(logits: Float32Array, test: EncodedDataset, attribute: string): number {
  const valueOf = test.groups.values.map((record) => record[attribute]);
  const sums = new Map<string, [number, number]>();
  test.groups.ids.forEach((g, i) => {
    const [sum, count] = sums.get(valueOf[g]) ?? [0, 0];
    sums.set(valueOf[g], [sum + logits[i], count + 1]);
  });
  const means = [...sums.values()].map(([sum, count]) => sum / count);
  return Math.max(...means) - Math.min(...means);
}

function parseRun(text: string): Run {
  const [method, rest] = text.split(':');
  const params = Object.fromEntries((rest ? rest.split(',') : []).map((pair) => {
    const [key, value] = pair.split('=');
    return [key, Number.isNaN(Number(value)) ? value : Number(value)];
  }));
  return { label: text, method, params };
}

function parseArgs(argv: string[]): { dataset: string; sensitive?: string[]; seeds: number[]; epochs: number; runs: Run[] } {
  let dataset = 'adult';
  let sensitive: string[] | undefined;
  let seeds = [0, 1, 2];
  let epochs = 20;
  const runs: Run[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dataset') dataset = argv[++i];
    else if (argv[i] === '--sensitive') sensitive = argv[++i].split(',');
    else if (argv[i] === '--seeds') seeds = argv[++i].split(',').map(Number);
    else if (argv[i] === '--epochs') epochs = Number(argv[++i]);
    else runs.push(parseRun(argv[i]));
  }
  const defaults = ['erm', 'flayer', 'projection', 'penalty', 'penalty:form=squared', 'strict-penalty'];
  return { dataset, sensitive, seeds, epochs, runs: (runs.length > 0 ? runs : defaults.map(parseRun)) };
}

const summary = (values: number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return `${mean.toFixed(4)} ± ${sd.toFixed(4)}`;
};

export async function benchmarkFlayer(argv: string[]): Promise<void> {
  const { dataset: name, sensitive, seeds, epochs, runs } = parseArgs(argv);
  const backend = await initBackend();
  const dataset = await loadDataset(name, resolveDataDir());
  if (sensitive) dataset.spec = { ...dataset.spec, sensitive };
  console.log(`${name}, ${backend}, seeds ${seeds.join(',')}, ${epochs} epochs, sensitive ${dataset.spec.sensitive.join(',')}`);
  const results = new Map<string, Outcome[]>(runs.map((run) => [run.label, []]));
  for (const seed of seeds) {
    const { train, test } = prepareDataset(dataset, { seed });
    for (const run of runs) {
      const fitted = fit({ method: getMethod(run.method), params: run.params, train, options: { hidden: [200], batchSize: 2000, learningRate: 1e-3, epochs, seed, progress: 'silent' } });
      const { scores, logits } = outputsOn(fitted.model, test, test.nRows);
      fitted.model.dispose();
      const report = evaluateOn(test, scores, logits) as MetricReport;
      const values: Record<string, number | null | undefined> = { ...report.overall, ...report.fairness };
      const outcome: Outcome = Object.fromEntries(METRICS.map((key) => [key, values[key] ?? NaN]));
      const attributes = test.groups.attributes;
      if (attributes.length > 1) for (const attribute of attributes) outcome[`gap ${attribute}`] = attributeGap(logits!, test, attribute);
      results.get(run.label)!.push(outcome);
      console.log(`seed ${seed} ${run.label} (${test.nRows} test rows): ${Object.entries(outcome).map(([key, value]) => `${key} ${value.toFixed(4)}`).join(', ')}`);
    }
  }
  console.log(`\nmean ± sd over seeds ${seeds.join(',')}:`);
  for (const [label, outcomes] of results) {
    console.log(`${label}: ${Object.keys(outcomes[0]).map((key) => `${key} ${summary(outcomes.map((o) => o[key]))}`).join(', ')}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchmarkFlayer(process.argv.slice(2));
}
