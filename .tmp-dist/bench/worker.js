/** Worker-thread entry of the bench pool: runs one trial per message and posts its result. */
import { parentPort, workerData } from 'node:worker_threads';
import { FairkitError } from '../errors.js';
import { initBackend } from '../nn/backend.js';
import { DatasetCache } from './open-trial-dataset.js';
import { runTrial } from './run-trial.js';
const setup = workerData;
const port = parentPort;
const datasets = new DatasetCache(setup.dataDir);
const backend = initBackend(setup.backend);
port.on('message', async ({ trial }) => {
    let reply;
    try {
        await backend;
        const result = runTrial(trial, await datasets.open(trial));
        reply = { kind: 'done', id: trial.id, result };
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        reply = { kind: 'failed', id: trial.id, message, userError: error instanceof FairkitError };
    }
    port.postMessage(reply);
});
//# sourceMappingURL=worker.js.map