import { FairkitError } from '../errors.js';
import { buildGroups, labelsFrom } from '../data/groups.js';
import { evaluate } from '../metrics/compute.js';
import { bootstrapIntervals } from '../metrics/bootstrap.js';
import { numericColumn, binaryColumn } from './columns.js';
const overallKeys = ['count', 'accuracy', 'balancedAccuracy', 'selectionRate', 'tpr', 'fpr', 'precision', 'f1'];
const scoreKeys = ['ap', 'rocAuc', 'logLoss'];
const groupKeys = ['count', 'accuracy', 'balancedAccuracy', 'selectionRate', 'tpr', 'fpr', 'precision', 'f1'];
/** Audits one table of labels, predictions or scores, and sensitive columns: the engine behind `fairkit audit`. */
export function auditTable(table, options) {
    const wanted = [options.label, ...(options.pred ? [options.pred] : []), ...(options.score ? [options.score] : []), ...options.sensitive];
    for (const name of wanted) {
        if (!table.columns.has(name)) {
            throw new FairkitError(`unknown column '${name}'`, { where: options.source, fix: `Columns are: ${table.names.join(', ')}` });
        }
    }
    if (!options.pred && !options.score)
        throw new FairkitError('give --pred COL or --score COL (or both)');
    if (table.nRows === 0)
        throw new FairkitError('the file has no data rows', { where: options.source });
    const { y, positive } = labelsFrom(table, options.label, options.positive);
    const scores = options.score ? numericColumn(table, options.score, options.source) : undefined;
    const yPred = options.pred ? binaryColumn(table, options.pred, positive, options.source) : undefined;
    if (options.privileged && options.privileged.length !== options.sensitive.length) {
        throw new FairkitError(`--privileged needs one value per sensitive column (${options.sensitive.join(', ')}), got ${options.privileged.length}`);
    }
    const privileged = options.privileged ? Object.fromEntries(options.sensitive.map((name, i) => [name, options.privileged[i]])) : undefined;
    const groups = buildGroups(table, options.sensitive, { privileged });
    if (privileged && groups.privileged === undefined) {
        throw new FairkitError(`no rows belong to the privileged group ${options.privileged.join('|')}`, { where: options.source, fix: `Groups are: ${groups.keys.join(', ')}` });
    }
    if (groups.keys.length < 2) {
        throw new FairkitError(`the sensitive column${options.sensitive.length > 1 ? 's' : ''} ${options.sensitive.join(', ')} hold${options.sensitive.length > 1 ? '' : 's'} a single group ('${groups.keys[0]}'); a fairness audit needs at least two`, { where: options.source });
    }
    const input = { yTrue: y, yPred, scores, groupIds: groups.ids, groups, threshold: options.threshold ?? 0.5 };
    const report = evaluate(input);
    const keepOverall = [...overallKeys, ...(scores ? scoreKeys : [])];
    const result = {
        rows: table.nRows,
        sensitive: options.sensitive,
        positive,
        overall: pick(report.overall, keepOverall),
        groups: report.groups.map((group) => ({ key: group.key, values: group.values, ...pick(group, groupKeys) })),
        fairness: { ...report.fairness },
        warnings: [...report.warnings],
    };
    if (options.bootstrap) {
        const intervals = bootstrapIntervals(input, { replicates: options.bootstrap, seed: options.seed ?? 0 });
        result.intervals = intervals;
        result.warnings.push(...(intervals.warnings ?? []));
    }
    return result;
}
function pick(source, keys) {
    const values = source;
    return Object.fromEntries(keys.filter((key) => key in values).map((key) => [key, values[key]]));
}
//# sourceMappingURL=audit-table.js.map