#!/usr/bin/env node
import { outputFailure, runFairkit, writeQuietly } from './program.js';

// Installed before any command runs, so that a closed or full stdout/stderr ends every command the same way
// (program.ts, outputFailure).
for (const stream of ['stdout', 'stderr'] as const) {
  process[stream].on('error', (error) => {
    let exitCode = outputFailure(error, stream);
    if (exitCode === undefined) {
      if (stream === 'stdout') writeQuietly(`fairkit: cannot write to standard output: ${error.message}\n`);
      exitCode = 1;
    }
    process.exit(exitCode);
  });
}

process.exitCode = await runFairkit(process.argv.slice(2));
