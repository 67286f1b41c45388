/**
 * EOR on Adult with fairkit and with the independent PyTorch reference (bench/pytorch_mlp.py, eorLambda) on the
 * very same splits: test ΔEO sum and AP for erm and each λ, per seed and as means. It separates "fairkit's EOR is
 * implemented differently" from "EOR does this on this setup" (docs/methods/eor.md). Not part of `npm run bench`
 * (it trains 2 × seeds × (1 + λs) models); skips without the data or without python3-torch.
 *
 * Run: node --import tsx src/bench-scripts/eor-vs-pytorch.ts [--seeds 0,1,2,3,4] [--lambdas 0.4,1]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { candidateDataDir } from '../data/data-dir.js';
import { loadDataset } from '../data/loaders/index.js';
import { initBackend } from '../nn/backend.js';
import { trainAndEvaluate } from '../pipeline/train-and-evaluate.js';
import { PROTOCOL, runPytorchReference } from './erm-vs-pytorch.js';

interface Row {
  lambda: number;
  seed: number;
  fairkit: { ap: number; gap: number };
  pytorch: { ap: number; gap: number };
}

export async function compareEorWithPytorch(argv: string[]): Promise<void> {
  const list = (name: string, fallback: number[]) => (argv.includes(name) ? argv[argv.indexOf(name) + 1].split(',').map(Number) : fallback);
  const seeds = list('--seeds', [0, 1, 2, 3, 4]);
  const lambdas = list('--lambdas', [0.4, 1]);
  const dataDir = candidateDataDir().path;
  if (!existsSync(join(dataDir, 'adult'))) {
    console.log(`eor-vs-pytorch: skipped, no Adult data at ${dataDir} (set FAIRKIT_DATA_DIR)`);
    return;
  }
  const backend = await initBackend();
  const dataset = await loadDataset('adult', dataDir);
  console.log(`adult (sex), ${backend}; MLP 200, Adam 1e-3, batch 2000, ${PROTOCOL.epochs} epochs; seeds ${seeds.join(',')}`);
  const rows: Row[] = [];
  for (const seed of seeds) {
    for (const lambda of [0, ...lambdas]) {
      const outcome = trainAndEvaluate({ dataset, method: lambda === 0 ? 'erm' : 'eor', params: lambda === 0 ? {} : { lambda }, options: { ...PROTOCOL, seed, progress: 'silent' }, splitSeed: seed });
      outcome.fitted.model.dispose();
      const torch = runPytorchReference(outcome.prepared, { ...PROTOCOL, seed, eorLambda: lambda });
      if (!torch) return;
      const row = {
        lambda,
        seed,
        fairkit: { ap: outcome.test.overall.ap!, gap: outcome.test.fairness.equalizedOddsSum! },
        pytorch: { ap: torch.ap, gap: torch.equalizedOddsSum },
      };
      rows.push(row);
      console.log(`seed ${seed} λ ${lambda}: fairkit ΔEO sum ${row.fairkit.gap.toFixed(4)} AP ${row.fairkit.ap.toFixed(4)} | PyTorch ΔEO sum ${row.pytorch.gap.toFixed(4)} AP ${row.pytorch.ap.toFixed(4)}`);
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  console.log('\n| λ | fairkit ΔEO sum | fairkit AP | PyTorch ΔEO sum | PyTorch AP |\n|---|---|---|---|---|');
  for (const lambda of [0, ...lambdas]) {
    const mine = rows.filter((row) => row.lambda === lambda);
    console.log(`| ${lambda === 0 ? '0 (erm)' : lambda} | ${mean(mine.map((r) => r.fairkit.gap)).toFixed(3)} | ${mean(mine.map((r) => r.fairkit.ap)).toFixed(3)} | ${mean(mine.map((r) => r.pytorch.gap)).toFixed(3)} | ${mean(mine.map((r) => r.pytorch.ap)).toFixed(3)} |`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await compareEorWithPytorch(process.argv.slice(2));
}
