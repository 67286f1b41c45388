/**
 * fairkit against the independent PyTorch reference (bench/pytorch_mlp.py, which writes EOR's and GCM's losses
 * from methods.md, not from fairkit's code) on the very same Adult splits: test ΔEO sum and AP for erm and each
 * run, per seed and as means. It separates "fairkit implements the method differently" from "the method does this
 * on this setup" (docs/methods/eor.md, docs/methods/gcm.md). Not part of `npm run bench` (it trains
 * 2 × seeds × runs models); skips without the data or without python3-torch.
 *
 * Run: node --import tsx experiments/methods-vs-pytorch.ts [--seeds 0,1,2,3,4] RUN ...
 *      where RUN is eor:lambda=0.4 or gcm:T=2,lambda=1e-5 (erm is always run first)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { candidateDataDir } from '../src/data/data-dir.js';
import { loadDataset } from '../src/data/loaders/index.js';
import { getMethod } from '../src/methods/registry.js';
import { initBackend } from '../src/nn/backend.js';
import { classificationOutcome, trainAndEvaluate } from '../src/pipeline/train-and-evaluate.js';
import { parseMethodParams } from '../src/train/fit.js';
import { PROTOCOL, runPytorchReference } from '../bench/perf/erm-vs-pytorch.js';

interface Run {
  label: string;
  method: string;
  params: Record<string, unknown>;
}

/** The parameters the reference implements (the others must keep fairkit's defaults, or the losses differ). */
const REFERENCE_PARAMS: Record<string, string[]> = { erm: [], eor: ['lambda'], gcm: ['lambda', 'T'] };

function parseRun(text: string): Run {
  const [method, rest] = text.split(':');
  if (!(method in REFERENCE_PARAMS)) throw new Error(`the PyTorch reference knows ${Object.keys(REFERENCE_PARAMS).join(', ')}, not '${method}'`);
  const given = Object.fromEntries(
    (rest ? rest.split(',') : []).map((pair) => {
      const [key, value] = pair.split('=');
      if (!REFERENCE_PARAMS[method].includes(key)) throw new Error(`the PyTorch reference of ${method} sets only ${REFERENCE_PARAMS[method].join(', ') || 'nothing'}, not '${key}'`);
      if (value === undefined || !Number.isFinite(Number(value))) throw new Error(`${text}: '${key}' needs a number`);
      return [key, Number(value)];
    }),
  );
  return { label: text, method, params: parseMethodParams(getMethod(method), given) as Record<string, unknown> };
}

export async function compareWithPytorch(argv: string[]): Promise<void> {
  const seedsAt = argv.indexOf('--seeds');
  if (seedsAt >= 0 && argv[seedsAt + 1] === undefined) throw new Error('--seeds needs a list, e.g. --seeds 0,1,2');
  const seeds = seedsAt >= 0 ? argv[seedsAt + 1].split(',').map(Number) : [0, 1, 2, 3, 4];
  const runArgs = seedsAt >= 0 ? argv.filter((_, i) => i !== seedsAt && i !== seedsAt + 1) : argv;
  const runs = [parseRun('erm'), ...runArgs.map(parseRun)];
  const dataDir = candidateDataDir().path;
  if (!existsSync(join(dataDir, 'adult'))) {
    console.log(`methods-vs-pytorch: skipped, no Adult data at ${dataDir} (set FAIRKIT_DATA_DIR)`);
    return;
  }
  const backend = await initBackend();
  const dataset = await loadDataset('adult', dataDir);
  console.log(`adult (sex), ${backend}; MLP 200, Adam 1e-3, batch 2000, ${PROTOCOL.epochs} epochs; seeds ${seeds.join(',')}`);
  const results: { run: string; fairkit: { ap: number; gap: number }; pytorch: { ap: number; gap: number } }[] = [];
  for (const seed of seeds) {
    for (const run of runs) {
      const outcome = classificationOutcome(trainAndEvaluate({ dataset, method: run.method, params: run.params, options: { ...PROTOCOL, seed, progress: 'silent' }, splitSeed: seed }));
      outcome.fitted.model.dispose();
      const torch = runPytorchReference(outcome.prepared, { ...PROTOCOL, seed, method: run.method, params: run.params });
      if (!torch) return;
      const result = { run: run.label, fairkit: { ap: outcome.test.overall.ap!, gap: outcome.test.fairness.equalizedOddsSum! }, pytorch: { ap: torch.ap, gap: torch.equalizedOddsSum } };
      results.push(result);
      console.log(`seed ${seed} ${run.label}: fairkit ΔEO sum ${result.fairkit.gap.toFixed(4)} AP ${result.fairkit.ap.toFixed(4)} | PyTorch ΔEO sum ${result.pytorch.gap.toFixed(4)} AP ${result.pytorch.ap.toFixed(4)}`);
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  console.log('\n| run | fairkit ΔEO sum | fairkit AP | PyTorch ΔEO sum | PyTorch AP |\n|---|---|---|---|---|');
  for (const run of runs) {
    const mine = results.filter((result) => result.run === run.label);
    console.log(`| ${run.label} | ${mean(mine.map((r) => r.fairkit.gap)).toFixed(3)} | ${mean(mine.map((r) => r.fairkit.ap)).toFixed(3)} | ${mean(mine.map((r) => r.pytorch.gap)).toFixed(3)} | ${mean(mine.map((r) => r.pytorch.ap)).toFixed(3)} |`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await compareWithPytorch(process.argv.slice(2));
}
