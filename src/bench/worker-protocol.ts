import type { BackendPreference } from '../nn/backend.js';
import type { Trial, TrialResult } from './trial.js';

/** What every worker is started with. */
export interface WorkerSetup {
  dataDir?: string;
  backend?: BackendPreference;
  /** Threads of each worker's wasm backend (1 unless bench runs one worker). */
  threads?: number;
}

export type ToWorker = { kind: 'run'; trial: Trial };

export type FromWorker =
  | { kind: 'done'; id: string; result: TrialResult }
  | { kind: 'failed'; id: string; message: string; userError: boolean };
