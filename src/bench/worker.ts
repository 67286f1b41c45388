/** Worker-thread entry of the bench pool: runs one trial per message and posts its result. */
import { parentPort, workerData } from 'node:worker_threads';
import { FairkitError } from '../errors.js';
import { initBackend } from '../nn/backend.js';
import { DatasetCache } from './open-trial-dataset.js';
import { trialProvenance } from './provenance.js';
import { runTrial } from './run-trial.js';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol.js';

const setup = workerData as WorkerSetup;
const port = parentPort!;
const datasets = new DatasetCache(setup.dataDir);
const backend = initBackend(setup.backend, { threads: setup.threads });

port.on('message', async ({ trial }: ToWorker) => {
  let reply: FromWorker;
  try {
    await backend;
    const dataset = await datasets.open(trial);
    // Provenance is taken here, where the trial ran: the backend is this worker's, which may differ from the
    // main thread's (each worker sets up its own, and a failed wasm set-up falls back to cpu).
    const result = { ...runTrial(trial, dataset), provenance: trialProvenance(dataset) };
    reply = { kind: 'done', id: trial.id, result };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reply = { kind: 'failed', id: trial.id, message, userError: error instanceof FairkitError };
  }
  port.postMessage(reply);
});
