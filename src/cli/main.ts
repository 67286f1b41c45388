#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { FairkitError } from '../errors.js';
import { registerAudit } from './audit.js';
import { registerDebias } from './debias.js';
import { registerMethods } from './methods.js';
import { registerPredict } from './predict.js';
import { registerTrain } from './train.js';
import { registerBench } from './bench.js';
import { registerReport } from './report.js';

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

/** One clear line on stderr and a non-zero exit for anything the user can fix; a stack only on FAIRKIT_DEBUG. */
function reportFailure(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof FairkitError) {
    process.stderr.write(`fairkit: ${error.message}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`fairkit: internal error: ${message}${process.env.FAIRKIT_DEBUG ? '' : ' (set FAIRKIT_DEBUG=1 for details)'}\n`);
  if (process.env.FAIRKIT_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 1;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportFailure(error);
}
