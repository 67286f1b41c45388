import { FairkitError } from '../errors.js';
import { getColumn, rowPlace } from './table.js';
import type { Table } from './types.js';

/** Mean and standard deviation the regression targets were standardised with; `unscale` undoes it. */
export interface TargetScale {
  mean: number;
  std: number;
}

/**
 * The numeric target of a regression task. A column read as text (some cell is not a number) is an error naming
 * the first such cell; missing targets must have been dropped before.
 */
export function numericTargets(table: Table, target: string): Float64Array {
  const column = getColumn(table, target, 'target column');
  if (column.kind === 'categorical') {
    const row = column.values.findIndex((value) => value !== null && !Number.isFinite(Number(value)));
    throw new FairkitError(`the regression target "${target}" is not numeric: "${column.values[Math.max(row, 0)]}"`, {
      where: row >= 0 ? rowPlace(table, row) : undefined,
      fix: 'Give a numeric target column, or train a classifier (--task classification with --positive)',
    });
  }
  const infinite = column.values.findIndex((value) => !Number.isFinite(value));
  if (infinite >= 0) throw new FairkitError(`the regression target "${target}" is ${column.values[infinite]}`, { where: rowPlace(table, infinite) });
  return column.values;
}

/** The training targets' mean and (population) standard deviation; a constant target cannot be learned. */
export function fitTargetScale(values: ArrayLike<number>): TargetScale {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += (values[i] - mean) / (i + 1);
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  const std = Math.sqrt(squares / values.length);
  if (!(std > 0)) throw new FairkitError(`the regression target is constant (${mean}) in the training split`, { fix: 'Check the target column' });
  return { mean, std };
}

export function scaleTargets(values: ArrayLike<number>, scale: TargetScale): Float32Array {
  return Float32Array.from(values, (value) => (value - scale.mean) / scale.std);
}

/** Model outputs on the standardised scale back on the target's own scale. */
export function unscaleTargets(values: ArrayLike<number>, scale: TargetScale): Float64Array {
  return Float64Array.from(values, (value) => value * scale.std + scale.mean);
}

/** 1 where the value lies above the median of `reference`, the stratum label of a regression row. */
export function aboveMedian(values: ArrayLike<number>, reference: ArrayLike<number>): Uint8Array {
  const sorted = Float64Array.from(reference).sort();
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
  return Uint8Array.from(values, (value) => (value > median ? 1 : 0));
}
