import * as tf from '@tensorflow/tfjs';
import { prepareDataset } from '../data/prepare.js';
import { erm } from '../methods/erm.js';
import { gcm, gcmParams } from '../methods/gcm.js';
import { initBackend } from '../nn/backend.js';
import { buildMlp } from '../nn/mlp.js';
import { Rng } from '../rng.js';
import { makeBatch, disposeBatch } from '../train/batches.js';
import { loadSweepDataset } from './gcm-sweep.js';
await initBackend();
const { train } = prepareDataset(await loadSweepDataset('adult'), { seed: 0 });
const rows = Int32Array.from({ length: 2000 }, (_, i) => i);
const model = buildMlp({ inputDim: train.nFeatures, hidden: [200], activation: 'relu', seed: 1 });
const opt = tf.train.adam(1e-3);
const steps = { erm: erm.createStep({ params: {}, model, train, nGroups: 2, optimizer: opt, rng: new Rng(1) }), gcm: gcm.createStep({ params: gcmParams.parse({ lambda: 1e-6 }), model, train, nGroups: 2, optimizer: opt, rng: new Rng(1) }) };
const batch = makeBatch(train, rows, 0);
for (let round = 0; round < 4; round++) {
  for (const [name, step] of Object.entries(steps)) {
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) step.run(batch);
    if (round > 0) console.log(name, ((performance.now() - t0) / 10).toFixed(1), 'ms/step');
  }
}
const profile = await tf.profile(() => { steps.gcm.run(batch); });
const byKernel = new Map<string, number>();
for (const k of profile.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
console.log([...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([n, t]) => `${n} ${t.toFixed(1)}`).join('\n'), '\nkernels', profile.kernels.length);
disposeBatch(batch);
