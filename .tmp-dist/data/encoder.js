import { z } from 'zod';
import { FairkitError } from '../errors.js';
import { getColumn } from './table.js';
/** The category that stands for a missing value, kept only when missing values occur in training. */
export const MISSING_CATEGORY = '<missing>';
const specSchema = z.object({
    numeric: z.array(z.object({ name: z.string(), mean: z.number(), std: z.number().positive() })),
    categorical: z.array(z.object({ name: z.string(), categories: z.array(z.string()) })),
});
/**
 * Standardises numeric columns ((x − mean) / std, population std as in scikit-learn's StandardScaler,
 * std 0 → 1, missing → the training mean) and one-hot encodes categorical ones (categories sorted by code
 * unit, then `<missing>` if it occurred; unseen categories give an all-zero block). Features are laid out
 * numeric columns first, then the categorical blocks, each in the order of `featureColumns`.
 */
export class FeatureEncoder {
    spec;
    constructor(spec) {
        this.spec = spec;
    }
    static fit(table, featureColumns) {
        const spec = { numeric: [], categorical: [] };
        for (const name of featureColumns) {
            const column = getColumn(table, name, 'feature column');
            if (column.kind === 'numeric')
                spec.numeric.push({ name, ...meanAndStd(name, column.values) });
            else
                spec.categorical.push({ name, categories: categoriesOf(column.values) });
        }
        return new FeatureEncoder(spec);
    }
    static fromJSON(spec) {
        const parsed = specSchema.safeParse(spec);
        if (!parsed.success) {
            throw new FairkitError(`invalid encoder spec: ${z.prettifyError(parsed.error)}`, { where: 'encoder JSON' });
        }
        return new FeatureEncoder(structuredClone(parsed.data));
    }
    toJSON() {
        return structuredClone(this.spec);
    }
    get featureNames() {
        return [
            ...this.spec.numeric.map((column) => column.name),
            ...this.spec.categorical.flatMap((column) => column.categories.map((category) => `${column.name}=${category}`)),
        ];
    }
    transform(table) {
        const featureNames = this.featureNames;
        const nRows = table.nRows;
        const nFeatures = featureNames.length;
        const X = new Float32Array(nRows * nFeatures);
        let offset = 0;
        for (const { name, mean, std } of this.spec.numeric) {
            const values = columnOfKind(table, name, 'numeric').values;
            for (let row = 0; row < nRows; row++) {
                const value = values[row];
                X[row * nFeatures + offset] = Number.isNaN(value) ? 0 : (value - mean) / std;
            }
            offset++;
        }
        for (const { name, categories } of this.spec.categorical) {
            const values = columnOfKind(table, name, 'categorical').values;
            const position = new Map(categories.map((category, i) => [category, i]));
            for (let row = 0; row < nRows; row++) {
                const at = position.get(values[row] ?? MISSING_CATEGORY);
                if (at !== undefined)
                    X[row * nFeatures + offset + at] = 1;
            }
            offset += categories.length;
        }
        return { X, nRows, nFeatures, featureNames };
    }
}
function meanAndStd(name, values) {
    let count = 0;
    let sum = 0;
    for (const value of values) {
        if (!Number.isNaN(value)) {
            count++;
            sum += value;
        }
    }
    if (count === 0) {
        throw new FairkitError(`numeric feature "${name}" has no values in the training rows`, {
            fix: 'Drop the column from the features or fill its missing values',
        });
    }
    const mean = sum / count;
    let squares = 0;
    for (const value of values)
        if (!Number.isNaN(value))
            squares += (value - mean) ** 2;
    const std = Math.sqrt(squares / count);
    return { mean, std: std > 0 ? std : 1 };
}
function categoriesOf(values) {
    const seen = new Set();
    let sawMissing = false;
    for (const value of values) {
        if (value === null)
            sawMissing = true;
        else
            seen.add(value);
    }
    const categories = [...seen].sort();
    if (sawMissing)
        categories.push(MISSING_CATEGORY);
    return categories;
}
function columnOfKind(table, name, kind) {
    const column = getColumn(table, name, 'feature column');
    if (column.kind !== kind) {
        throw new FairkitError(`feature column "${name}" is ${column.kind} here but was ${kind} when the encoder was fitted`, {
            fix: 'Read every split with the same `types` overrides',
        });
    }
    return column;
}
//# sourceMappingURL=encoder.js.map