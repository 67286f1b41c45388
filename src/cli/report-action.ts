import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JOURNAL_FILE } from '../bench/manifest.js';
import { buildReport } from '../report/build-report.js';
import { isTrainRun } from '../report/run-files.js';
import { buildRunReport } from '../report/run-report.js';

/** `fairkit report`: loaded on demand so the other commands do not pay for Vega. */
export async function runReport(dir: string, flags: { out?: string }): Promise<void> {
  if (!existsSync(join(dir, JOURNAL_FILE)) && isTrainRun(dir)) {
    const files = await buildRunReport(dir, { out: flags.out });
    process.stdout.write(`wrote ${files.html}, ${files.markdown} and ${files.charts.length} charts\n`);
    return;
  }
  const files = await buildReport(dir, { out: flags.out });
  for (const warning of files.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(`wrote ${files.html}, ${files.markdown}, ${files.summary} and ${files.charts.length} charts\n`);
}
