import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { readTable } from '../data/csv.js';
import { FeatureEncoder, type EncoderSpec } from '../data/encoder.js';
import { FairkitError } from '../errors.js';
import { isGroupMixNormMlp } from '../nn/group-mix-norm-mlp.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from '../nn/predict.js';
import { loadModel } from '../nn/save-load.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { groupIdsForPrediction } from './saved-groups.js';

export interface PredictOptions {
  modelDir: string;
  input: string;
  output: string;
  threshold: number;
  scoreColumn: string;
  predictionColumn: string;
}

/**
 * Scores the rows of a CSV file with a saved model and writes them back with a score and a prediction column
 * added. The input's own fields are copied as they were written (not re-formatted). A GroupMixNorm model gets
 * each row's training group when the file has the sensitive columns (notes say when it cannot).
 */
export async function predictFile(options: PredictOptions): Promise<{ rows: number; method: string; notes: string[] }> {
  const saved = await loadModel(options.modelDir);
  try {
    const encoderSpec = saved.encoder as EncoderSpec;
    const types = Object.fromEntries([
      ...encoderSpec.numeric.map(({ name }) => [name, 'numeric'] as const),
      ...encoderSpec.categorical.map(({ name }) => [name, 'categorical'] as const),
    ]);
    const [header, ...rows] = readRecords(options.input);
    // Column names as readTable sees them (trimmed); the fields themselves are copied as written.
    const columnNames = header.map((name) => name.trim());
    const missing = Object.keys(types).filter((name) => !columnNames.includes(name));
    if (missing.length > 0) throw new FairkitError(`the model needs column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, missing from the file`, { where: options.input });
    for (const added of [options.scoreColumn, options.predictionColumn]) {
      if (columnNames.includes(added)) throw new FairkitError(`the file already has a column '${added}'`, { where: options.input, fix: 'Choose other names with --score-column / --prediction-column' });
    }
    const table = await readTable(options.input, { types });
    const { X, nRows } = FeatureEncoder.fromJSON(encoderSpec).transform(table);
    const notes: string[] = [];
    let groupIds: Int32Array | undefined;
    if (isGroupMixNormMlp(saved.model)) {
      const lookup = groupIdsForPrediction(saved.extra, table);
      if (lookup.ids === undefined) notes.push(`${lookup.reason}, so every row is normalised with the statistics of all training groups`);
      else {
        if (lookup.unseen > 0) notes.push(`${lookup.unseen} rows belong to groups not seen in training and are normalised with the statistics of all training groups`);
        if (lookup.missing > 0) notes.push(`${lookup.missing} rows have an empty sensitive value and are normalised with the statistics of all training groups`);
      }
      groupIds = lookup.ids;
    }
    const scores = predictProba(saved.model, { X, nRows, groups: groupIds }, { batchSize: DEFAULT_PREDICT_BATCH });
    const output = [
      [...header, options.scoreColumn, options.predictionColumn],
      ...rows.map((row, i) => [...row, scores[i].toPrecision(7), scores[i] >= options.threshold ? '1' : '0']),
    ];
    writeFileAtomic(options.output, stringify(output));
    return { rows: nRows, method: saved.method, notes };
  } finally {
    saved.model.dispose();
  }
}

/** The file's fields as written, header first (readTable has already validated its shape). */
function readRecords(path: string): string[][] {
  let text: Buffer;
  try {
    text = readFileSync(path);
  } catch {
    throw new FairkitError('file not found or unreadable', { where: path });
  }
  const records: string[][] = parse(path.endsWith('.gz') ? gunzipSync(text) : text, { skip_empty_lines: true, bom: true });
  if (records.length === 0) throw new FairkitError('the file is empty', { where: path });
  return records;
}
