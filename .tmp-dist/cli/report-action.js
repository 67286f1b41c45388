import { buildReport } from '../report/build-report.js';
/** `fairkit report`: loaded on demand so the other commands do not pay for Vega. */
export async function runReport(dir, flags) {
    const files = await buildReport(dir, { out: flags.out });
    for (const warning of files.warnings)
        process.stderr.write(`warning: ${warning}\n`);
    process.stdout.write(`wrote ${files.html}, ${files.markdown}, ${files.summary} and ${files.charts.length} charts\n`);
}
//# sourceMappingURL=report-action.js.map