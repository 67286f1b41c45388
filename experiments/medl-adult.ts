/**
 * medl against fair-medl on Adult (clusters: occupation, not an input), as `fairkit train` runs them, with the
 * fixed-effects (FE) and mixed-effects (ME) outputs both evaluated on the test split: SD-TPR and SD-FPR per
 * sensitive attribute (spreadByAttribute) and balanced accuracy. The FE output is also what a row of an unseen
 * occupation gets. One JSON line per run, then a Markdown table of mean ± sd over the seeds.
 *
 * Run: node --import tsx experiments/medl-adult.ts [--seeds 0,1,2] [--sensitive sex] [--epochs 10] RUN ...
 * where RUN is a method with optional parameters, e.g. medl fair-medl fair-medl:lambdaFairness=0.3
 */
import { openDataset } from '../src/data/open-dataset.js';
import { spreadByAttribute } from '../src/medl/attribute-spread.js';
import { evaluate } from '../src/metrics/compute.js';
import { initBackend } from '../src/nn/backend.js';
import { predictProba } from '../src/nn/predict.js';
import { trainAndEvaluate } from '../src/pipeline/train-and-evaluate.js';
import { parseRun } from './run-spec.js';

interface HeadResult {
  balancedAccuracy: number | null;
  spreads: Record<string, { tprStd: number | null; fprStd: number | null }>;
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

async function main(): Promise<void> {
  await initBackend('wasm');
  const seeds = option('--seeds', '0,1,2').split(',').map(Number);
  const sensitive = option('--sensitive', 'sex').split(',');
  const epochs = Number(option('--epochs', '10'));
  const flags = new Set(['--seeds', '--sensitive', '--epochs']);
  const runs = process.argv.slice(2).filter((arg, i, all) => !flags.has(arg) && !flags.has(all[i - 1])).map(parseRun);
  const dataset = await openDataset({ dataset: 'adult', sensitive, drop: ['occupation'], cluster: 'occupation' });
  const lines: { run: string; seed: number; fe: HeadResult; me: HeadResult }[] = [];
  for (const seed of seeds) {
    for (const { method, params } of runs) {
      const outcome = trainAndEvaluate({ dataset, method, params, splitSeed: seed, options: { epochs, batchSize: 500, learningRate: 0.002, hidden: [64, 32], seed, progress: 'silent' } });
      const { test } = outcome.prepared;
      const head = (scores: ArrayLike<number>): HeadResult => ({
        balancedAccuracy: evaluate({ yTrue: test.y, scores, groupIds: test.groups.ids, groups: test.groups }).overall.balancedAccuracy,
        spreads: Object.fromEntries(spreadByAttribute({ yTrue: test.y, scores, groupIds: test.groups.ids, groups: test.groups }).map((s) => [s.attribute, { tprStd: s.tprStd, fprStd: s.fprStd }])),
      });
      const fe = predictProba(outcome.fitted.model, { X: test.X, nRows: test.nRows, clusters: test.clusters }, { batchSize: 8192, head: 'fe' });
      const line = { run: `${method}${Object.keys(params).length > 0 ? ` ${JSON.stringify(params)}` : ''}`, seed, fe: head(fe), me: head(outcome.testScores) };
      outcome.fitted.model.dispose();
      lines.push(line);
      console.log(JSON.stringify(line));
    }
  }
  const meanSd = (values: number[]) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
    return `${mean.toFixed(3)} ± ${sd.toFixed(3)}`;
  };
  console.log(`\n| run | output | ${sensitive.map((s) => `SD-TPR ${s} | SD-FPR ${s}`).join(' | ')} | balanced accuracy |`);
  console.log(`|---|---|${sensitive.map(() => '---|---|').join('')}---|`);
  for (const run of [...new Set(lines.map((line) => line.run))]) {
    for (const output of ['fe', 'me'] as const) {
      const mine = lines.filter((line) => line.run === run).map((line) => line[output]);
      const cells = sensitive.flatMap((s) => [meanSd(mine.map((r) => r.spreads[s].tprStd ?? Number.NaN)), meanSd(mine.map((r) => r.spreads[s].fprStd ?? Number.NaN))]);
      console.log(`| ${run} | ${output.toUpperCase()} | ${cells.join(' | ')} | ${meanSd(mine.map((r) => r.balancedAccuracy ?? Number.NaN))} |`);
    }
  }
}

await main();
