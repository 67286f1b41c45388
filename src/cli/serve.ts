import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { FairkitError } from '../errors.js';
import { choiceOption, numberOption } from './options.js';

interface ServeFlags {
  model: string;
  host: string;
  port: number;
  state?: string;
  tokenFile?: string;
  threshold: number;
  policy: 'refuse' | 'flag' | 'impute';
  eta0: number;
  maxPending: number;
  bodyLimit: number;
  backend: 'auto' | 'wasm' | 'cpu';
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve a saved model over HTTP: POST /v1/predict, POST /v1/outcomes, GET /v1/fairness, /health, /metrics, /openapi.json (docs/serve.md).')
    .requiredOption('--model <dir>', 'folder written by `fairkit train --out`')
    .option('--host <host>', 'address to bind (anything but loopback exposes the service)', '127.0.0.1')
    .option('--port <n>', 'TCP port (0: any free port)', numberOption('--port', { min: 0, max: 65535, integer: true }), 8080)
    .option('--state <dir>', 'folder of the durable state (stream, counters, pending outcomes), restored at start; without it the state is in memory only')
    .option('--token-file <file>', 'file holding a bearer token that POST /v1/predict and /v1/outcomes then require')
    .option('--threshold <t>', 'decision threshold on the adjusted score', numberOption('--threshold', { min: 0, max: 1 }), 0.5)
    .addOption(new Option('--policy <policy>', 'rows with a category not seen in training or a missing cell: refuse, flag or impute').argParser(choiceOption('--policy', ['refuse', 'flag', 'impute'] as const)).default('flag'))
    .option('--eta0 <x>', "base dual step of the online stream (flayer and projection models)", numberOption('--eta0', { min: 0 }), 0.5)
    .option('--max-pending <n>', 'predictions kept waiting for their outcome (the oldest are dropped beyond)', numberOption('--max-pending', { min: 0, integer: true }), 10000)
    .option('--body-limit <bytes>', 'largest request body', numberOption('--body-limit', { min: 1, integer: true }), 1048576)
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').argParser(choiceOption('--backend', ['auto', 'wasm', 'cpu'] as const)).default('auto'))
    .action(async (flags: ServeFlags) => {
      const token = flags.tokenFile === undefined ? undefined : readToken(flags.tokenFile);
      const { initBackend } = await import('../nn/backend.js');
      const { buildServer } = await import('../serve/app.js');
      await initBackend(flags.backend);
      const app = await buildServer({ modelDir: flags.model, stateDir: flags.state, token, threshold: flags.threshold, policy: flags.policy, eta0: flags.eta0, maxPending: flags.maxPending, bodyLimit: flags.bodyLimit });
      const address = await app.listen({ host: flags.host, port: flags.port });
      process.stderr.write(`fairkit serve: listening on ${address} (model ${flags.model}, state ${flags.state ?? 'in memory only'}${token ? ', token required' : ''})\n`);
      // A signal closes the server: requests in flight are answered (and their state saved) first.
      const stop = () => void app.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

function readToken(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new FairkitError('cannot read the token file', { where: `--token-file ${path}`, cause });
  }
  const token = text.trim();
  if (token.length < 16 || /\s/.test(token)) throw new FairkitError('the token must be one word of at least 16 characters', { where: `--token-file ${path}` });
  return token;
}
