import { Command } from 'commander';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Write report.html (self-contained), report.md and SVG charts (and summary.json) from a bench folder or a train run folder.')
    .argument('<dir>', 'the --out folder of `fairkit bench` or of `fairkit train`')
    .option('--out <dir>', 'folder to write the report to (default: dir)')
    .action(async (dir: string, flags: { out?: string }) => (await import('./report-action.js')).runReport(dir, flags));
}
