/**
 * An exact linear program solver: minimise c·x subject to A x = b, x ≥ 0, in rational arithmetic (two-phase
 * simplex on a dense tableau, Bland's rule so that degenerate pivots cannot cycle).
 *
 * Why a solver of our own: the threshold post-processor's program is tiny (one row per group plus one or two per
 * extra group; one column per ROC-hull vertex) and its coefficients are whole counts, so an exact solve is cheap
 * and its answer needs no tolerance. The npm LP packages are floating-point with tolerances (javascript-lp-solver,
 * glpk.js), which is what this file exists to avoid. It is meant for such small programs only: the tableau is dense
 * and every entry is a BigInt fraction.
 */
import { add, compare, div, isZero, mul, ONE, sign, sub, ZERO, type Rational } from './rational.js';

export interface ExactLp {
  /** Objective coefficients, one per variable. */
  c: Rational[];
  /** Constraint rows, each with one coefficient per variable. */
  A: Rational[][];
  b: Rational[];
}

export type ExactLpResult = { status: 'optimal'; x: Rational[]; objective: Rational } | { status: 'infeasible' } | { status: 'unbounded' };

export function solveExactLp(lp: ExactLp): ExactLpResult {
  const nVars = lp.c.length;
  const m = lp.A.length;
  if (lp.b.length !== m || lp.A.some((row) => row.length !== nVars)) throw new RangeError('exact LP: A, b and c disagree in size');
  // Phase 1 tableau: [A | I | b] with rows negated where b < 0, artificial variables nVars..nVars+m-1.
  const width = nVars + m;
  const rows: Rational[][] = lp.A.map((row, i) => {
    const flip = sign(lp.b[i]) < 0;
    const entries = row.map((value) => (flip ? sub(ZERO, value) : value));
    for (let k = 0; k < m; k++) entries.push(k === i ? ONE : ZERO);
    entries.push(flip ? sub(ZERO, lp.b[i]) : lp.b[i]);
    return entries;
  });
  const basis = Array.from({ length: m }, (_, i) => nVars + i);
  // Phase 1 objective: the sum of the artificials, as reduced costs over the current basis.
  const phase1 = new Array<Rational>(width + 1).fill(ZERO);
  for (let j = 0; j <= width; j++) {
    if (j >= nVars && j < width) continue;
    let total = ZERO;
    for (const row of rows) total = add(total, row[j]);
    phase1[j] = sub(ZERO, total);
  }
  if (!runSimplex(rows, basis, phase1, width)) throw new Error('exact LP: phase 1 cannot be unbounded');
  if (!isZero(phase1[width])) return { status: 'infeasible' };
  // Drive artificials out of the basis (they sit at zero); a row where no real column can enter is redundant.
  for (let i = m - 1; i >= 0; i--) {
    if (basis[i] < nVars) continue;
    const entering = rows[i].findIndex((value, j) => j < nVars && !isZero(value));
    if (entering >= 0) pivot(rows, basis, [], i, entering);
    else {
      rows.splice(i, 1);
      basis.splice(i, 1);
    }
  }
  // Phase 2: the true objective's reduced costs over the basis, artificial columns barred from entering.
  const costs = new Array<Rational>(width + 1).fill(ZERO);
  for (let j = 0; j < nVars; j++) costs[j] = lp.c[j];
  rows.forEach((row, i) => {
    const cb = lp.c[basis[i]];
    if (isZero(cb)) return;
    for (let j = 0; j <= width; j++) if (!isZero(row[j])) costs[j] = sub(costs[j], mul(cb, row[j]));
  });
  if (!runSimplex(rows, basis, costs, nVars)) return { status: 'unbounded' };
  const x = new Array<Rational>(nVars).fill(ZERO);
  rows.forEach((row, i) => (x[basis[i]] = row[width]));
  let objective = ZERO;
  x.forEach((value, j) => (objective = add(objective, mul(lp.c[j], value))));
  return { status: 'optimal', x, objective };
}

/**
 * Pivots until no reduced cost among the first `enterable` columns is negative. `costs` is the reduced-cost row
 * (its last entry minus the objective). Returns false when a column can improve without bound.
 */
function runSimplex(rows: Rational[][], basis: number[], costs: Rational[], enterable: number): boolean {
  const rhs = costs.length - 1;
  for (;;) {
    // Bland: the lowest-index improving column, and among tied ratios the lowest-index basic variable.
    const entering = costs.findIndex((value, j) => j < enterable && sign(value) < 0);
    if (entering < 0) return true;
    let leaving = -1;
    let best = ZERO;
    for (let i = 0; i < rows.length; i++) {
      if (sign(rows[i][entering]) <= 0) continue;
      const ratio = div(rows[i][rhs], rows[i][entering]);
      const order = leaving < 0 ? -1 : compare(ratio, best);
      if (order < 0 || (order === 0 && basis[i] < basis[leaving])) {
        best = ratio;
        leaving = i;
      }
    }
    if (leaving < 0) return false;
    pivot(rows, basis, [costs], leaving, entering);
  }
}

function pivot(rows: Rational[][], basis: number[], objectives: Rational[][], leaving: number, entering: number): void {
  const pivotRow = rows[leaving];
  const scale = pivotRow[entering];
  for (let j = 0; j < pivotRow.length; j++) if (!isZero(pivotRow[j])) pivotRow[j] = div(pivotRow[j], scale);
  const eliminate = (row: Rational[]) => {
    const factor = row[entering];
    if (isZero(factor)) return;
    for (let j = 0; j < row.length; j++) if (!isZero(pivotRow[j])) row[j] = sub(row[j], mul(factor, pivotRow[j]));
  };
  rows.forEach((row, i) => i !== leaving && eliminate(row));
  objectives.forEach(eliminate);
  basis[leaving] = entering;
}
