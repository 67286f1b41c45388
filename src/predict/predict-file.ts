import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { readTable } from '../data/csv.js';
import { decodeBytes } from '../data/decode.js';
import { csvOptionsFrom, type ReadFlags } from '../data/read-choices.js';
import { cellText, rowPlace } from '../data/table.js';
import type { Table } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { isFairProjection, type FairInferenceSummary } from '../flayer/fair-predict.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { checkOutputFile } from '../io/output-file.js';
import { DEFAULT_ROW_POLICY, FittedModel, type RecordsPrediction, type RowPolicy } from '../model-folder/fitted-model.js';
import type { InputRecord } from '../model-folder/records.js';
import { DEFAULT_PREDICT_BATCH } from '../nn/predict.js';
import { postprocessRows, savedPostprocessor } from '../postprocess/saved-state.js';
import { loadStream, removeStream, saveStream } from './stream-file.js';

export { checkOutputFile };

/** The column a post-processed model adds: the probability that its (randomised) classifier says positive. */
export const POSITIVE_PROBABILITY_COLUMN = 'positive_probability';

export interface PredictOptions {
  modelDir: string;
  input: string;
  output: string;
  threshold: number;
  scoreColumn: string;
  predictionColumn: string;
  /** Name of the added column with each row's note (why it was refused or flagged); default 'note'. */
  noteColumn?: string;
  /** Rows with unseen categories or missing cells: refuse, flag (default) or impute (FittedModel's RowPolicy). */
  policy?: RowPolicy;
  /**
   * Rows per prediction batch (default DEFAULT_PREDICT_BATCH). Models that act on a batch (the F-Layer's projection,
   * GroupMixNorm's 'batch' mode) give results that depend on it.
   */
  batchSize?: number;
  /**
   * A flayer/projection model: start its primal–dual stream afresh instead of resuming the model folder's
   * stream.json (used for batches below b_τ; see stream-file.ts).
   */
  resetStream?: boolean;
  /**
   * Also write the model's last hidden layer, one column per unit named `${embeddingPrefix}0…` after the added
   * columns (empty for a refused row): the representation `fairkit steer` can steer and a new head can be fitted on.
   */
  embeddings?: boolean;
  /** Prefix of the embedding columns (default 'h'). */
  embeddingPrefix?: string;
  /**
   * The column of true targets, for a labelled audit with an EER model (regression flayer/projection with
   * constraint=eer): every prediction batch is projected exactly onto |mean residual| ≤ ε per group (and the box).
   * Refused for any other model.
   */
  target?: string;
  /** Replace an existing output file (never the input itself). */
  force?: boolean;
  /** How to read the input (--encoding, --missing, --categorical); the model's feature types are declared regardless. */
  read?: ReadFlags;
}

/**
 * Scores the rows of a CSV file with a saved model (FittedModel.predictRecords) and writes them back with a score, a
 * prediction and a note column added. The input's own fields are copied as they were written (not re-formatted). Each
 * row gets its training group and cluster when the file has those columns; a refused row gets an empty score and
 * prediction and its reason in the note; notes and counts say what happened to how many rows.
 */
export async function predictFile(options: PredictOptions): Promise<{ rows: number; method: string; notes: string[]; counts: RecordsPrediction['counts']; fairInference?: FairInferenceSummary }> {
  checkOutputFile(options.input, options.output, options.force ?? false);
  const noteColumn = options.noteColumn ?? 'note';
  const fitted = await FittedModel.load(options.modelDir);
  try {
    const [header, ...rows] = readRecords(options.input, options.read?.encoding);
    // Column names as readTable sees them (trimmed); the fields themselves are copied as written.
    const columnNames = header.map((name) => name.trim());
    const missing = fitted.featureColumns.map(({ name }) => name).filter((name) => !columnNames.includes(name));
    if (missing.length > 0) throw new FairkitError(`the model needs column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, missing from the file`, { where: options.input });
    if (options.target !== undefined) {
      const refusal = fitted.targetsRefusal();
      if (refusal) throw new FairkitError(`--target is only for a regression flayer/projection model trained with --param constraint=eer (its batches are projected onto |mean residual| ≤ ε per group with the true targets); ${refusal}`, { where: `${options.modelDir}/model.json`, fix: 'Drop --target' });
      if (!columnNames.includes(options.target)) throw new FairkitError(`the --target column '${options.target}' is not in the file`, { where: options.input, fix: `Name one of its columns: ${columnNames.join(', ')}` });
    }
    // A post-processor's thresholds are per group: the file must name every row's group.
    const postprocessor = savedPostprocessor(fitted.folder.postprocessor, `${options.modelDir}/model.json`);
    const absentGroups = postprocessor ? (fitted.folder.groups?.attributes ?? []).filter((name) => !columnNames.includes(name)) : [];
    if (absentGroups.length > 0) throw new FairkitError(`the model's ${postprocessor!.kind} post-processor (${postprocessor!.constraint}) needs the sensitive column${absentGroups.length > 1 ? 's' : ''} ${absentGroups.join(', ')}, missing from the file`, { where: options.input, fix: 'Add the column (its thresholds are per group)' });
    // A regression model's prediction is its value on the target's scale: there is no score to threshold.
    const regression = fitted.folder.targetScale !== undefined;
    const scored = regression ? [options.predictionColumn, noteColumn] : [options.scoreColumn, ...(postprocessor ? [POSITIVE_PROBABILITY_COLUMN] : []), options.predictionColumn, noteColumn];
    // The width of the last hidden layer, known before the pass; a kind without one is refused by the pass itself.
    const hiddenUnits = options.embeddings ? fitted.model.lastHiddenUnits ?? 0 : 0;
    const embeddingColumns = Array.from({ length: hiddenUnits }, (_, j) => `${options.embeddingPrefix ?? 'h'}${j}`);
    const added = [...scored, ...embeddingColumns];
    for (const column of added) {
      if (columnNames.includes(column)) throw new FairkitError(`the file already has a column '${column}'`, { where: options.input, fix: `Choose other names with --score-column / --prediction-column / --note-column${options.embeddings ? ' / --embedding-prefix' : ''}` });
    }
    if (new Set(added).size < added.length) throw new FairkitError(`the added columns need different names (${added.join(', ')})`, { fix: 'Choose other names with --score-column / --prediction-column / --note-column' });
    // The CSV reader's parsing (trimming, missing tokens, the encoder's column types); records carry its values.
    const table = await readTable(options.input, csvOptionsFrom(options.read ?? {}, Object.fromEntries(fitted.featureColumns.map(({ name, kind }) => [name, kind]))));
    const config = fitted.model.config;
    const stream = isFairProjection(config) && !options.resetStream ? loadStream(options.modelDir, config) : undefined;
    const targets = options.target === undefined ? undefined : targetValues(table, options.target);
    const predicted = fitted.predictRecords(recordsOf(table), { batchSize: options.batchSize ?? DEFAULT_PREDICT_BATCH, origin: table.origin, policy: options.policy ?? DEFAULT_ROW_POLICY, stream, embeddings: options.embeddings, ...(targets ? { targets } : {}) });
    if (predicted.embeddings && predicted.embeddings.width !== embeddingColumns.length) throw new FairkitError(`the model's last hidden layer has ${predicted.embeddings.width} units, its config says ${embeddingColumns.length}`, { where: `${options.modelDir}/model.json` });
    // Numbers as float32 gives them (9 significant digits round-trip a float32 exactly); a refused row's cells stay empty.
    const hiddenCells = (i: number) => (predicted.embeddings ? Array.from({ length: embeddingColumns.length }, (_, j) => (predicted.embeddings!.rows[i] ? predicted.embeddings!.rows[i]![j].toPrecision(9) : '')) : []);
    const postprocessed = postprocessor ? postprocessRows(postprocessor, predicted.rows) : undefined;
    const output = [
      [...header, ...added],
      ...rows.map((row, i) => {
        const { score, note } = predicted.rows[i];
        // A refused row: empty score and prediction (never a number standing for nothing), the reason in the note.
        const value = score === null ? '' : score.toPrecision(7);
        if (postprocessed) {
          const { probability, prediction, note: missing } = postprocessed[i];
          return [...row, value, probability === null ? '' : probability.toPrecision(7), prediction === null ? '' : String(prediction), [note, missing].filter(Boolean).join('; '), ...hiddenCells(i)];
        }
        const decision = score === null ? '' : score >= options.threshold ? '1' : '0';
        return [...row, ...(regression ? [value, note ?? ''] : [value, decision, note ?? '']), ...hiddenCells(i)];
      }),
    ];
    writeFileAtomic(options.output, stringify(output));
    // The stream advances only once the scored rows are written; --reset-stream drops an old state no batch used.
    if (predicted.stream) saveStream(options.modelDir, predicted.stream);
    else if (options.resetStream) removeStream(options.modelDir);
    return { rows: table.nRows, method: fitted.folder.method.name, notes: [...(table.notes ?? []), ...predicted.notes], counts: predicted.counts, ...(predicted.fairInference ? { fairInference: predicted.fairInference } : {}) };
  } finally {
    fitted.dispose();
  }
}

/** The --target column's numbers (NaN where missing: refused later only for a row that is scored). */
function targetValues(table: Table, name: string): Float64Array {
  const column = table.columns.get(name)!;
  if (column.kind === 'numeric') return column.values;
  const values = Float64Array.from({ length: table.nRows }, (_, row) => {
    const text = cellText(column, row);
    return text === null ? Number.NaN : Number(text);
  });
  const row = values.findIndex((value, i) => cellText(column, i) !== null && !Number.isFinite(value));
  if (row >= 0) throw new FairkitError(`the --target column '${name}' is not numeric: "${cellText(column, row)}"`, { where: rowPlace(table, row), fix: 'Give the column of true targets, numbers on the scale the model was trained on' });
  return values;
}

/** One record per row: numbers for numeric columns, strings for categorical ones, null where missing. */
function recordsOf(table: Table): InputRecord[] {
  const columns = table.names.map((name) => [name, table.columns.get(name)!] as const);
  return Array.from({ length: table.nRows }, (_, row) =>
    Object.fromEntries(columns.map(([name, column]) => [name, column.kind === 'numeric' ? (Number.isNaN(column.values[row]) ? null : column.values[row]) : cellText(column, row)])),
  );
}

/** The file's fields as written, header first (readTable has already validated its shape). */
function readRecords(path: string, encoding?: string): string[][] {
  let text: Buffer;
  try {
    text = readFileSync(path);
  } catch {
    throw new FairkitError('file not found or unreadable', { where: path });
  }
  // Decoded as strictly as readTable does, so the fields copied to the output are the values the model saw.
  const records: string[][] = parse(decodeBytes(path.endsWith('.gz') ? gunzipSync(text) : text, path, encoding), { skip_empty_lines: true, bom: true });
  if (records.length === 0) throw new FairkitError('the file is empty', { where: path });
  return records;
}
