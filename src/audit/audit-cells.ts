import { FairkitError } from '../errors.js';

/** The columns and decision threshold a shard was audited with; shards merge only when these agree. */
export interface AuditColumns {
  label: string;
  pred: string | null;
  score: string | null;
  sensitive: string[];
  threshold: number;
  /** Columns read as categories even when they hold numbers (--categorical). */
  categorical: string[];
}

/**
 * The sufficient statistics of a classification audit: counts of identical rows. A cell is one combination of
 * the written values of the text columns (each sensitive column, the label, the prediction) and the score, with
 * the number of rows that have it. Values are kept as written (trimmed), not yet typed, because typing a column
 * (is it numbers? which label is positive?) needs all of its values, so it happens once, over every shard, in
 * auditFromCells. Memory is bounded by groups × labels × predictions × distinct scores, not rows; two shards merge
 * by concatenating their cells (a cell that occurs in both is simply counted twice, as its rows are).
 */
export class AuditCells {
  readonly columns: AuditColumns;
  /** The distinct written values of each text column, in the order of textColumns(). */
  readonly dictionaries: string[][];
  /** Per text column, each cell's index into its dictionary. */
  readonly ids: number[][];
  /** Each cell's score (only when there is a score column). */
  readonly scores: number[];
  /** Rows in each cell. */
  readonly counts: number[];
  private readonly lookups: Map<string, number>[];

  constructor(columns: AuditColumns) {
    this.columns = columns;
    const n = textColumns(columns).length;
    this.dictionaries = Array.from({ length: n }, () => []);
    this.ids = Array.from({ length: n }, () => []);
    this.lookups = Array.from({ length: n }, () => new Map());
    this.scores = [];
    this.counts = [];
  }

  get size(): number {
    return this.counts.length;
  }

  get rows(): number {
    return this.counts.reduce((sum, count) => sum + count, 0);
  }

  /** Adds a cell of `count` rows: `texts` in the order of textColumns(), `score` NaN when there is no score column. */
  add(texts: readonly string[], score: number, count: number): void {
    texts.forEach((text, k) => this.ids[k].push(this.idOf(k, text)));
    if (this.columns.score !== null) this.scores.push(score);
    this.counts.push(count);
  }

  /** Adds every cell of `other` (audited with the same columns) to this one, and returns this. */
  merge(other: AuditCells): AuditCells {
    const mismatch = differingSetting(this.columns, other.columns);
    if (mismatch) throw new FairkitError(`cannot merge audit states made with different ${mismatch}`, { where: 'fairkit audit --merge', fix: 'make every shard with the same --label, --pred, --score, --sensitive, --threshold and --categorical' });
    other.ids.forEach((ids, k) => {
      const remap = other.dictionaries[k].map((text) => this.idOf(k, text));
      for (const id of ids) this.ids[k].push(remap[id]);
    });
    for (const score of other.scores) this.scores.push(score);
    for (const count of other.counts) this.counts.push(count);
    return this;
  }

  private idOf(k: number, text: string): number {
    let id = this.lookups[k].get(text);
    if (id === undefined) {
      id = this.dictionaries[k].length;
      this.dictionaries[k].push(text);
      this.lookups[k].set(text, id);
    }
    return id;
  }
}

/** The text columns of an audit, in cell order: each sensitive column, the label, then the prediction if any. */
export function textColumns(columns: AuditColumns): string[] {
  return [...columns.sensitive, columns.label, ...(columns.pred === null ? [] : [columns.pred])];
}

/** The first setting in which two shards differ, or null. */
function differingSetting(a: AuditColumns, b: AuditColumns): string | null {
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  if (!same(a.sensitive, b.sensitive)) return `sensitive columns (${a.sensitive.join(',')} vs ${b.sensitive.join(',')})`;
  for (const key of ['label', 'pred', 'score', 'threshold'] as const) {
    if (a[key] !== b[key]) return `${key} (${a[key]} vs ${b[key]})`;
  }
  if (!same([...a.categorical].sort(), [...b.categorical].sort())) return '--categorical columns';
  return null;
}
