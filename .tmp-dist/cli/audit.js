import { Option } from 'commander';
import { readTable } from '../data/csv.js';
import { auditTable } from '../audit/audit-table.js';
import { renderAudit } from '../audit/render.js';
import { choiceOption, listOption, numberOption } from './options.js';
export function registerAudit(program) {
    program
        .command('audit')
        .description('Fairness audit of predictions in a CSV file: per-group performance and every fairness gap.')
        .argument('<file>', 'CSV file (optionally .gz) with a header row')
        .requiredOption('--label <col>', 'true label column')
        .option('--pred <col>', 'hard prediction column (0/1 or the label values)')
        .option('--score <col>', 'score or probability column; predictions are score >= threshold when --pred is absent')
        .requiredOption('--sensitive <cols>', 'sensitive column(s), comma-separated; several form intersectional groups', listOption('--sensitive'))
        .option('--positive <value>', "the label's positive value (needed when the label has other than 0/1 values)")
        .option('--privileged <values>', 'privileged value of each sensitive column, comma-separated in the same order', listOption('--privileged'))
        .option('--threshold <t>', 'decision threshold on scores', numberOption('--threshold'), 0.5)
        .option('--bootstrap <n>', 'bootstrap replicates for 95% intervals', numberOption('--bootstrap', { min: 1, integer: true }))
        .option('--seed <s>', 'seed for the bootstrap', numberOption('--seed', { integer: true }), 0)
        .addOption(new Option('--format <format>', 'output format').argParser(choiceOption('--format', ['table', 'json', 'markdown'])).default('table'))
        .action(async (file, flags) => {
        const table = await readTable(file, flags.score ? { types: { [flags.score]: 'numeric' } } : {});
        const result = auditTable(table, { ...flags, source: file });
        for (const warning of result.warnings)
            process.stderr.write(`warning: ${warning}\n`);
        process.stdout.write(renderAudit(result, flags.format));
    });
}
//# sourceMappingURL=audit.js.map