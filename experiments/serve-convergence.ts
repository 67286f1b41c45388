/**
 * The online stream through `fairkit serve`: the 2,000 rows of examples/synthetic-loans.csv sent to a tiny F-Layer
 * model (trained with seed 4) in requests of 1, 10 and 100 rows, in file order, in process (app.inject). Prints after
 * 100, 500 and 2,000 rows the row-weighted average gap (logits), its bound ε + λ_max/(η_T·N), the pooled gap and λ,
 * next to the raw gap of the same rows. The numbers in docs/serve.md come from this script.
 *
 * Run: node --import tsx experiments/serve-convergence.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../src/nn/backend.js';
import { buildServer } from '../src/serve/app.js';
import { exampleRecords, trainTinyModel } from '../src/serve/serve.test-helper.js';

await initBackend('wasm');
const folder = await mkdtemp(join(tmpdir(), 'fairkit-serve-convergence-'));
try {
  const modelDir = join(folder, 'flayer');
  trainTinyModel(modelDir, 'flayer');
  const records = exampleRecords();
  const logit = (p: number) => Math.log(p / (1 - p));
  console.log('batch  rows  weighted gap  bound   pooled gap  raw pooled gap  lambda');
  for (const batch of [1, 10, 100]) {
    const app = await buildServer({ modelDir });
    const raw = { sums: new Map<string, number>(), counts: new Map<string, number>() };
    for (let start = 0; start < records.length; start += batch) {
      const answer = await app.inject({ method: 'POST', url: '/v1/predict', payload: { rows: records.slice(start, start + batch) } });
      for (const { score, group } of answer.json().predictions as { score: number; group: string }[]) {
        raw.sums.set(group, (raw.sums.get(group) ?? 0) + logit(score));
        raw.counts.set(group, (raw.counts.get(group) ?? 0) + 1);
      }
      const rows = start + batch;
      if (rows === 100 || rows === 500 || rows === records.length) {
        const { stream } = (await app.inject('/v1/fairness')).json();
        const means = [...raw.sums].map(([group, sum]) => sum / raw.counts.get(group)!);
        const rawGap = Math.max(...means) - Math.min(...means);
        console.log(`${String(batch).padStart(5)} ${String(rows).padStart(5)}  ${stream.weightedAverageGap.toFixed(4).padStart(12)}  ${stream.bound.toFixed(4)}  ${stream.pooledGap.toFixed(4).padStart(10)}  ${rawGap.toFixed(4).padStart(14)}  ${stream.lambda.toFixed(3)}`);
      }
    }
    await app.close();
  }
} finally {
  await rm(folder, { recursive: true, force: true });
}
