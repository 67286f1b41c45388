/** What the epoch-timing benchmarks (gcm-cost, speed) share: where Adult is, and how many rounds of how many epochs. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { candidateDataDir } from '../../src/data/data-dir.js';

/** The data folder holding Adult, or null after saying the benchmark is skipped. */
export function adultDataDirOrSkip(benchmark: string): string | null {
  const dataDir = candidateDataDir().path;
  if (existsSync(join(dataDir, 'adult'))) return dataDir;
  console.log(`${benchmark}: skipped, no Adult data at ${dataDir} (set FAIRKIT_DATA_DIR)`);
  return null;
}

/** `--rounds R` (the first round is a warm-up, so at least 2; default 3) and `--epochs E` (default `defaultEpochs`). */
export function roundsAndEpochs(argv: string[], defaultEpochs = 2): { rounds: number; epochs: number } {
  const option = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
  const rounds = option('--rounds', 3);
  const epochs = option('--epochs', defaultEpochs);
  if (!Number.isInteger(rounds) || rounds < 2) throw new Error(`--rounds must be a whole number ≥ 2 (the first is a warm-up), got ${rounds}`);
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs must be a whole number ≥ 1, got ${epochs}`);
  return { rounds, epochs };
}

/**
 * fairkit's modules that the epoch benchmarks train with, from this checkout's sources or, with `dist`, from another
 * build's folder (e.g. an older dist/ with its wasm/build/ beside it), so that old and new code can be timed in
 * alternating processes by the same script; `from` loads any other module by its path under src/ ('nn/fast-matmul').
 */
export async function trainingModules(dist: string | undefined) {
  const from = (module: string): Promise<any> => import(dist ? pathToFileURL(resolve(dist, `${module}.js`)).href : `../../src/${module}.js`);
  const [{ initBackend }, { openDataset }, { prepareDataset }, { getMethod }, { fit }] = await Promise.all(['nn/backend', 'data/open-dataset', 'data/prepare', 'methods/registry', 'train/fit'].map(from));
  return { from, initBackend, openDataset, prepareDataset, getMethod, fit };
}
