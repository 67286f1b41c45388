import { Command } from 'commander';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Write report.html (self-contained), report.md, summary.json and SVG charts from a bench folder.')
    .argument('<dir>', 'the --out folder of `fairkit bench`')
    .option('--out <dir>', 'folder to write the report to (default: the bench folder)')
    .action(async (dir: string, flags: { out?: string }) => (await import('./report-action.js')).runReport(dir, flags));
}
