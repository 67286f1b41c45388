import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { parseTable } from './csv.js';
import { EXAMPLE_PATH, syntheticLoansCsv } from './write-example.js';
test('examples/synthetic-loans.csv is exactly what write-example produces (reproducible, seeded)', () => {
    assert.equal(readFileSync(EXAMPLE_PATH, 'utf8'), syntheticLoansCsv());
    assert.ok(statSync(EXAMPLE_PATH).size < 200_000);
});
test('the example file reads back as a 2,000-row table whose decision is score >= 0.5 and which shows the bias', () => {
    const table = parseTable(readFileSync(EXAMPLE_PATH, 'utf8'), { source: EXAMPLE_PATH, types: { approved: 'categorical', decision: 'categorical' } });
    assert.equal(table.nRows, 2000);
    const score = table.columns.get('score').values;
    const decision = table.columns.get('decision').values;
    const group = table.columns.get('group').values;
    const approved = table.columns.get('approved').values;
    score.forEach((s, row) => assert.equal(decision[row], s >= 0.5 ? '1' : '0'));
    const rate = (values, g) => {
        const rows = group.flatMap((value, row) => (value === g ? [row] : []));
        return rows.filter((row) => values[row] === '1').length / rows.length;
    };
    const labelGap = rate(approved, 'majority') - rate(approved, 'minority');
    const decisionGap = rate(decision, 'majority') - rate(decision, 'minority');
    assert.ok(labelGap > 0.1 && labelGap < 0.3, `label gap ${labelGap}`);
    assert.ok(decisionGap > labelGap + 0.1, `decision gap ${decisionGap} vs label gap ${labelGap}`);
});
//# sourceMappingURL=write-example.test.js.map