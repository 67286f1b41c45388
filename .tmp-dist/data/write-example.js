import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateSynthetic, syntheticScores } from './synthetic.js';
/** The options behind examples/synthetic-loans.csv; change them and the file changes. */
export const EXAMPLE_OPTIONS = { rows: 2000, seed: 20240, nFeatures: 4 };
export const EXAMPLE_PATH = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'examples', 'synthetic-loans.csv');
/** segment A..D (quartiles of the hidden part of the latent score) as an employment category. */
const EMPLOYMENT = { A: 'unemployed', B: 'part-time', C: 'self-employed', D: 'full-time' };
/**
 * The synthetic generator dressed as loan applications: x1..x4 become income, debt_ratio,
 * credit_history_years and late_payments by monotone maps that keep the direction of each weight; proxy becomes
 * neighbourhood_index; the label is `approved`; `score` is syntheticScores (majority over-scored) and `decision`
 * is score >= 0.5. Numbers are rounded to keep the file small.
 */
export function syntheticLoansCsv() {
    const dataset = generateSynthetic(EXAMPLE_OPTIONS);
    const scores = syntheticScores(dataset);
    const column = (name) => dataset.table.columns.get(name).values;
    const [x1, x2, x3, x4, proxy] = ['x1', 'x2', 'x3', 'x4', 'proxy'].map((name) => column(name));
    const [group, region, segment, label] = ['group', 'region', 'segment', 'label'].map((name) => column(name));
    const lines = ['id,group,region,income,debt_ratio,credit_history_years,late_payments,employment,neighbourhood_index,approved,score,decision'];
    for (let row = 0; row < dataset.table.nRows; row++) {
        const score = scores[row].toFixed(4); // the decision is taken on the written score, so the file is self-consistent
        lines.push([
            row + 1,
            group[row],
            region[row],
            Math.round(450 * Math.exp(0.35 * x1[row])) * 100, // weight +1: higher income, more approvals
            (0.35 + 0.08 * x2[row]).toFixed(3), // weight −0.7: more debt, fewer approvals
            Math.max(0, 8 + 3 * x3[row]).toFixed(1), // weight +0.49
            Math.max(0, Math.round(1.5 + x4[row])), // weight −0.34
            EMPLOYMENT[segment[row]],
            (50 + 15 * proxy[row]).toFixed(1),
            label[row],
            score,
            Number(score) >= 0.5 ? 1 : 0,
        ].join(','));
    }
    return lines.join('\n') + '\n';
}
export function writeSyntheticLoansExample(path = EXAMPLE_PATH) {
    writeFileSync(path, syntheticLoansCsv());
    return path;
}
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
    console.log(`wrote ${writeSyntheticLoansExample(process.argv[2] ?? EXAMPLE_PATH)}`);
}
//# sourceMappingURL=write-example.js.map