import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { readTable } from '../data/csv.js';
import { FeatureEncoder } from '../data/encoder.js';
import { FairkitError } from '../errors.js';
import { loadModel } from '../nn/save-load.js';
import { writeFileAtomic } from '../io/atomic-write.js';
/**
 * Scores the rows of a CSV file with a saved model and writes them back with a score and a prediction column
 * added. The input's own fields are copied as they were written (not re-formatted).
 */
export async function predictFile(options) {
    const saved = await loadModel(options.modelDir);
    try {
        const encoderSpec = saved.encoder;
        const types = Object.fromEntries([
            ...encoderSpec.numeric.map(({ name }) => [name, 'numeric']),
            ...encoderSpec.categorical.map(({ name }) => [name, 'categorical']),
        ]);
        const [header, ...rows] = readRecords(options.input);
        const missing = Object.keys(types).filter((name) => !header.includes(name));
        if (missing.length > 0)
            throw new FairkitError(`the model needs column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, missing from the file`, { where: options.input });
        for (const added of [options.scoreColumn, options.predictionColumn]) {
            if (header.includes(added))
                throw new FairkitError(`the file already has a column '${added}'`, { where: options.input, fix: 'Choose other names with --score-column / --prediction-column' });
        }
        const table = await readTable(options.input, { types });
        const { X, nRows } = FeatureEncoder.fromJSON(encoderSpec).transform(table);
        const scores = saved.model.predictProba(X, nRows);
        const output = [
            [...header, options.scoreColumn, options.predictionColumn],
            ...rows.map((row, i) => [...row, scores[i].toPrecision(7), scores[i] >= options.threshold ? '1' : '0']),
        ];
        writeFileAtomic(options.output, stringify(output));
        return { rows: nRows, method: saved.method };
    }
    finally {
        saved.model.dispose();
    }
}
/** The file's fields as written, header first (readTable has already validated its shape). */
function readRecords(path) {
    let text;
    try {
        text = readFileSync(path);
    }
    catch {
        throw new FairkitError('file not found or unreadable', { where: path });
    }
    const records = parse(path.endsWith('.gz') ? gunzipSync(text) : text, { skip_empty_lines: true });
    if (records.length === 0)
        throw new FairkitError('the file is empty', { where: path });
    return records;
}
//# sourceMappingURL=predict-file.js.map