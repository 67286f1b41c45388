import { Command, CommanderError } from 'commander';
import { FairkitError } from '../errors.js';
import { registerAudit } from './audit.js';
import { registerBench } from './bench.js';
import { registerDebias } from './debias.js';
import { registerMethods } from './methods.js';
import { registerPredict } from './predict.js';
import { registerReport } from './report.js';
import { registerServe } from './serve.js';
import { registerSteer } from './steer.js';
import { registerTrain } from './train.js';
import { registerWorker } from './worker.js';

const WRITE_FAILURES: Record<string, string> = { ENOSPC: 'no space left on device', EDQUOT: 'disk quota exceeded', EFBIG: 'file too large', EIO: 'input/output error' };

/** The `fairkit` program with every command; a new one per run, as commander keeps the parsed values on it. */
export function createProgram(): Command {
  const program = new Command();
  program
    .name('fairkit')
    .description('Fairness-aware deep learning: audit predictions, train fair networks, compare methods.')
    .version('0.1.0')
    .showHelpAfterError(false)
    .exitOverride();
  registerAudit(program);
  registerTrain(program);
  registerDebias(program);
  registerPredict(program);
  registerMethods(program);
  registerBench(program);
  registerReport(program);
  registerServe(program);
  registerSteer(program);
  registerWorker(program);
  return program;
}

/**
 * Runs `fairkit ...args` (the arguments after the program name) and resolves with its exit code. Output goes to
 * process.stdout and process.stderr, as the commands write there; main.ts sets the code as the process's.
 */
export async function runFairkit(args: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...args], { from: 'user' });
    return 0;
  } catch (error) {
    return reportFailure(error);
  }
}

/**
 * A closed or full standard output is not a bug to show a stack trace for. A closed pipe (`fairkit audit … | head -1`)
 * means the reader has what it wanted: the command ends quietly with exit code 0. Any other failed write (a full
 * disk, /dev/full) is one line on stderr and exit code 1.
 */
export function outputFailure(error: unknown, stream: 'stdout' | 'stderr'): number | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EPIPE') return 0;
  if (code === undefined || !(code in WRITE_FAILURES)) return undefined;
  if (stream === 'stdout') writeQuietly(`fairkit: cannot write to standard output: ${WRITE_FAILURES[code]} (${code})\n`);
  return 1;
}

export function writeQuietly(text: string): void {
  try {
    process.stderr.write(text);
  } catch {
    // stderr is gone too: nothing left to tell.
  }
}

/** One clear line on stderr and a non-zero exit for anything the user can fix; a stack only on FAIRKIT_DEBUG. */
function reportFailure(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode;
  const output = outputFailure(error, 'stdout');
  if (output !== undefined) return output;
  if (error instanceof FairkitError) {
    process.stderr.write(`fairkit: ${error.message}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`fairkit: internal error: ${message}${process.env.FAIRKIT_DEBUG ? '' : ' (set FAIRKIT_DEBUG=1 for details)'}\n`);
  if (process.env.FAIRKIT_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 1;
}
