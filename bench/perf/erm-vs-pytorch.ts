import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { candidateDataDir } from '../../src/data/data-dir.js';
import { loadDataset } from '../../src/data/loaders/index.js';
import type { EncodedDataset } from '../../src/data/types.js';
import { initBackend } from '../../src/nn/backend.js';
import { classificationOutcome, trainAndEvaluate } from '../../src/pipeline/train-and-evaluate.js';

/** The GCM paper's Adult protocol: MLP hidden 200, Adam 1e-3, batch 2000. */
export const PROTOCOL = { hidden: [200], learningRate: 1e-3, batchSize: 2000, epochs: 20 };
const PYTHON = '/usr/bin/python3';
const SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'pytorch_mlp.py');

function writeSplit(folder: string, name: string, data: EncodedDataset): void {
  writeFileSync(join(folder, `${name}-X.f32`), Buffer.from(data.X.buffer, data.X.byteOffset, data.X.byteLength));
  writeFileSync(join(folder, `${name}-y.u8`), data.y);
  writeFileSync(join(folder, `${name}-groups.i32`), Buffer.from(data.groups.ids.buffer, data.groups.ids.byteOffset, data.groups.ids.byteLength));
}

/**
 * ERM on Adult with fairkit and with an independent PyTorch MLP on the very same split, in one run: prints test
 * accuracy, AP and seconds per epoch for both, and the speed ratio. Skips (with a message) without the data set
 * or without python3-torch.
 */
export async function benchmarkErmAgainstPytorch(seed = 0): Promise<void> {
  const dataDir = candidateDataDir().path;
  if (!existsSync(join(dataDir, 'adult'))) {
    console.log(`erm-vs-pytorch: skipped, no Adult data at ${dataDir} (set FAIRKIT_DATA_DIR)`);
    return;
  }
  const backend = await initBackend();
  const outcome = classificationOutcome(trainAndEvaluate({ dataset: await loadDataset('adult', dataDir), method: 'erm', params: {}, options: { ...PROTOCOL, seed, progress: 'silent' }, splitSeed: seed }));
  const fairkit = { secondsPerEpoch: outcome.fitted.secondsPerEpoch, accuracy: outcome.test.overall.accuracy, ap: outcome.test.overall.ap, equalizedOddsSum: outcome.test.fairness.equalizedOddsSum };
  console.log(`erm adult (seed ${seed}, ${backend}): fairkit ${outcome.fitted.secondsPerEpoch.toFixed(3)} s/epoch, accuracy ${fairkit.accuracy?.toFixed(4)}, AP ${fairkit.ap?.toFixed(4)}, ΔEO sum ${fairkit.equalizedOddsSum?.toFixed(4)}`);
  outcome.fitted.model.dispose();

  const torch = runPytorchReference(outcome.prepared, { ...PROTOCOL, seed });
  if (!torch) return;
  console.log(`erm adult (seed ${seed}, PyTorch ${torch.torch}, 1 thread): ${torch.secondsPerEpoch.toFixed(3)} s/epoch, accuracy ${torch.accuracy.toFixed(4)}, AP ${torch.ap.toFixed(4)}, ΔEO sum ${torch.equalizedOddsSum.toFixed(4)}`);
  console.log(`erm adult: fairkit/PyTorch seconds per epoch = ${(fairkit.secondsPerEpoch / torch.secondsPerEpoch).toFixed(2)}×`);
}

export interface PytorchResult {
  secondsPerEpoch: number;
  accuracy: number;
  ap: number;
  equalizedOddsSum: number;
  torch: string;
}

/**
 * Trains bench/pytorch_mlp.py on fairkit's own train split and scores its test split. `meta` holds the training
 * setup (hidden, learningRate, batchSize, epochs, seed), the method with its params and `threads` (default 1). Null, with the reason
 * printed, when python3-torch or python3-sklearn is missing; any other failure of the script is an error.
 */
export function runPytorchReference(splits: { train: EncodedDataset; test: EncodedDataset }, meta: Record<string, unknown>): PytorchResult | null {
  const folder = mkdtempSync(join(tmpdir(), 'fairkit-bench-'));
  try {
    const { train, test } = splits;
    writeSplit(folder, 'train', train);
    writeSplit(folder, 'test', test);
    writeFileSync(join(folder, 'meta.json'), JSON.stringify({ ...meta, features: train.nFeatures, trainRows: train.nRows, testRows: test.nRows }));
    let output: string;
    try {
      // torch.set_num_threads(1) alone still lets OpenBLAS take a second core (issue 17): pin it too.
      const threads = String(meta.threads ?? 1);
      const env = { ...process.env, OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads };
      output = execFileSync(PYTHON, [SCRIPT, folder], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env });
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '');
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || /ModuleNotFoundError/.test(stderr)) {
        console.log(`PyTorch reference skipped (no ${PYTHON} with torch and sklearn); install Debian's python3-torch and python3-sklearn`);
        return null;
      }
      throw new Error(`${SCRIPT} failed: ${stderr.trim() || (error as Error).message}`);
    }
    let result: PytorchResult;
    try {
      result = JSON.parse(output) as PytorchResult;
    } catch {
      throw new Error(`${SCRIPT} printed no valid JSON (NaN from a diverged run?): ${output.trim().slice(0, 200)}`);
    }
    for (const key of ['secondsPerEpoch', 'accuracy', 'ap', 'equalizedOddsSum'] as const) {
      if (!Number.isFinite(result[key])) throw new Error(`${SCRIPT} returned ${key} = ${result[key]} (training diverged?)`);
    }
    return result;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchmarkErmAgainstPytorch(Number(process.argv[2] ?? 0));
}
