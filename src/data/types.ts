/**
 * Shared shapes of the data layer. Everything downstream (metrics, nn, train, methods, cli)
 * talks in these types, so change them only with care.
 */

/** A column as read from a file: numbers (NaN = missing) or strings (null = missing). */
export type Column =
  | { kind: 'numeric'; values: Float64Array }
  | { kind: 'categorical'; values: (string | null)[] };

/** A column-oriented table with a fixed row count. Column order is `names`. */
export interface Table {
  names: string[];
  columns: Map<string, Column>;
  nRows: number;
  /** Where the rows came from (a file and each row's line in it), for messages; absent for built tables. */
  origin?: { source: string; lines: Int32Array };
  /** What reading did to the values (cells read as missing, per column), for the commands to print; absent when nothing. */
  notes?: string[];
}

/**
 * How a table becomes a learning problem: which column is the target and which value is positive,
 * which columns are sensitive (several columns form intersectional groups), which group is privileged.
 */
export interface ProblemSpec {
  target: string;
  /** The target value that counts as the positive label (compared as a string). */
  positive: string;
  /** One or more sensitive columns; several form intersectional groups. */
  sensitive: string[];
  /** Privileged value per sensitive column, where a convention exists (e.g. { sex: 'Male' }). */
  privileged?: Record<string, string>;
  /** Feature columns; default: every column but the target (sensitive columns included unless dropped). */
  features?: string[];
  /** Whether the sensitive columns are also model inputs (default true, as in the GCM paper's Adult setup). */
  sensitiveAsFeature?: boolean;
  /** Cluster column for mixed-effects methods (optional). */
  cluster?: string;
  /**
   * 'classification' (default): a binary label from `positive`. 'regression': a numeric target, never inferred from
   * the data (a numeric column may hold class codes); `positive` is then unused.
   */
  task?: Task;
}

export type Task = 'classification' | 'regression';

/** A table with its problem spec: what a data set loader returns. */
export interface LoadedDataset {
  name: string;
  table: Table;
  spec: ProblemSpec;
  /** One paragraph for docs and reports: encoding, filters, provenance. */
  description: string;
  /** Loader-specific facts, e.g. Adult's `uciTrainRows` (rows from adult.data, which come first). */
  meta?: Record<string, unknown>;
}

/** Group ids of rows: index into `keys` (e.g. "Black|F"), with the per-attribute values of each key. */
export interface GroupIndex {
  attributes: string[];
  keys: string[];
  values: Record<string, string>[];
  ids: Int32Array;
  /** Index of the privileged group key, when the spec names one for every attribute and it occurs. */
  privileged?: number;
  /** The cut points actually used for each binned attribute (quantile cuts resolved on the data). */
  cuts?: Record<string, number[]>;
}

/**
 * A design matrix ready for training: row-major float32 features, 0/1 labels, group ids; for regression also the
 * standardised targets.
 */
export interface EncodedDataset {
  X: Float32Array;
  nRows: number;
  nFeatures: number;
  featureNames: string[];
  /**
   * Classification: the 0/1 label. Regression: whether the target lies above the training split's median, the
   * stratum label that splits, balanced batches and reweighing use.
   */
  y: Uint8Array;
  /** Regression only: the targets, standardised with the training split's mean and standard deviation. */
  targets?: Float32Array;
  /** Regression only: that mean and deviation (a prediction on the target's scale is output · std + mean). */
  targetScale?: { mean: number; std: number };
  groups: GroupIndex;
  clusters?: Int32Array;
}
