export function registerReport(program) {
    program
        .command('report')
        .description('Write report.html (self-contained), report.md, summary.json and SVG charts from a bench folder.')
        .argument('<dir>', 'the --out folder of `fairkit bench`')
        .option('--out <dir>', 'folder to write the report to (default: the bench folder)')
        .action(async (dir, flags) => (await import('./report-action.js')).runReport(dir, flags));
}
//# sourceMappingURL=report.js.map