/**
 * The F-Layer projection onto several constraint sets at once (marginal ECP of several attributes, EER, a box), on
 * the host in float64 (methods.md §3 (a), "several attributes at once"). No general QP solver:
 *
 * 1. Dykstra's alternating projections over sets that each have a closed-form projection: one attribute's ECP
 *    (ecp-host.ts), one attribute's EER (each group shifted so its mean residual is clipped to [−ε, ε]: groups of
 *    one attribute are disjoint, so this is exact) and the box (clip). Dykstra converges to the projection onto the
 *    intersection, not just to a feasible point.
 * 2. Every `checkEvery` cycles, a polish: read the active set off the iterate, solve the equality-constrained
 *    projection for it exactly (y = r − Ãᵀν on the free coordinates, box-active ones at their bound), and accept it
 *    when it carries a KKT certificate (feasible, ν ≥ 0, box multipliers ≥ 0, all to `tolerance`), or, for
 *    degenerate active sets whose rows are linearly dependent, when Dykstra has stalled (largest change over a
 *    cycle ≤ tolerance) and the polished point is feasible and agrees with the iterate.
 * 3. No certificate within `maxCycles`: a FairkitError (the sets may be infeasible together, e.g. EER with a box
 *    that excludes the targets' group means ± ε).
 *
 * The accepted active set also gives the Jacobian, diag(F) − Ãᵀ(ÃÃᵀ)⁻¹Ã (F: coordinates not at a box bound), which
 * project.ts applies as tensor ops.
 */
import { FairkitError } from '../errors.js';
import { checkSpec, dot, linearRows, maxViolation, type AttributeGroups, type FairSetSpec, type LinearRow } from './constraints.js';
import { projectEcpHost } from './ecp-host.js';
import { projectEerHost } from './eer.js';

export interface SolverOptions {
  /** KKT tolerance (feasibility, multiplier signs, stall), float64. Default 1e-10. */
  tolerance?: number;
  /** Dykstra cycles before giving up. Default 20000. */
  maxCycles?: number;
  /** Cycles between polish attempts. Default 5. */
  checkEvery?: number;
}

/** The exact active-set form of a solution: y = F∘r + (1 − F)∘v − Q(Ã r − b̃), Q = Ãᵀ(ÃÃᵀ)⁻¹. */
export interface ActiveSetForm {
  /** 1 where y_i is free, 0 where it sits at a box bound. */
  free: Float64Array;
  /** The box values of the bound coordinates (0 elsewhere). */
  fixed: Float64Array;
  /** Ã: the independent active rows with bound coordinates zeroed, [m][n]. */
  rows: Float64Array[];
  /** b̃ = b − A_B v_B for those rows. */
  rhs: Float64Array;
  /** Q, [n][m] stored row-major as n*m. */
  q: Float64Array;
}

export interface MultiSolution {
  y: Float64Array;
  /** Dykstra cycles run. */
  cycles: number;
  /** How the solution was accepted: a KKT certificate, or a stalled Dykstra iterate (degenerate active set). */
  acceptedBy: 'kkt' | 'stall';
  rows: LinearRow[];
  /** Indexes into rows of the active rows. */
  active: number[];
  /** Multipliers of all rows (0 off the active set and on dependent rows that were dropped). */
  multipliers: Float64Array;
  boxUpper: number[];
  boxLower: number[];
  form: ActiveSetForm;
}

type SetProjection = (x: Float64Array) => Float64Array<ArrayBuffer>;

function ecpSet(attr: AttributeGroups, epsilon: number): SetProjection {
  return (x) => projectEcpHost(x, attr.groups, attr.nGroups, epsilon).y;
}

function eerSet(attr: AttributeGroups, targets: Float64Array, epsilon: number): SetProjection {
  return (x) => projectEerHost(x, targets, attr.groups, attr.nGroups, epsilon).y;
}

function boxSet(lower: number, upper: number): SetProjection {
  return (x) => x.map((v) => Math.min(upper, Math.max(lower, v)));
}

/** Projects float64 outputs onto the set described by spec. */
export function projectHost(outputs: Float64Array, spec: FairSetSpec, options: SolverOptions = {}): MultiSolution {
  const n = outputs.length;
  checkSpec(spec, n);
  const tolerance = options.tolerance ?? 1e-10;
  const maxCycles = options.maxCycles ?? 20000;
  const checkEvery = options.checkEvery ?? 5;
  const rows = linearRows(spec, n);
  const sets: SetProjection[] = [
    ...(spec.ecp ?? []).map((attr) => ecpSet(attr, spec.epsilon)),
    ...(spec.eer ? spec.eer.attributes.map((attr) => eerSet(attr, spec.eer!.targets, spec.epsilon)) : []),
    ...(spec.box ? [boxSet(spec.box.lower, spec.box.upper)] : []),
  ];
  // Dykstra: x ← P_k(x + p_k), p_k ← (x + p_k) − P_k(x + p_k), cycling over the sets.
  let x: Float64Array<ArrayBuffer> = Float64Array.from(outputs);
  const increments = sets.map(() => new Float64Array(n));
  for (let cycle = 1; cycle <= maxCycles; cycle++) {
    const before = x;
    sets.forEach((project, k) => {
      const shifted = x.map((v, i) => v + increments[k][i]);
      const next = project(shifted);
      for (let i = 0; i < n; i++) increments[k][i] = shifted[i] - next[i];
      x = next;
    });
    let change = 0;
    for (let i = 0; i < n; i++) change = Math.max(change, Math.abs(x[i] - before[i]));
    if (cycle % checkEvery !== 0 && change > tolerance && cycle !== 1) continue;
    const polished = polish(outputs, rows, spec.box, x, tolerance);
    if (polished.certified) return { ...polished.solution, cycles: cycle, acceptedBy: 'kkt' };
    if (change <= tolerance && polished.feasible && polished.distance <= Math.sqrt(tolerance)) {
      return { ...polished.solution, cycles: cycle, acceptedBy: 'stall' };
    }
  }
  throw new FairkitError(`the F-Layer projection did not converge in ${maxCycles} Dykstra cycles (tolerance ${tolerance})`, {
    fix: 'check that the constraints can hold together (a box compatible with the EER targets ± ε), or raise maxCycles',
  });
}

interface Polished {
  solution: Omit<MultiSolution, 'cycles' | 'acceptedBy'>;
  certified: boolean;
  feasible: boolean;
  distance: number;
}

/** Solves the projection exactly for the active set read off x, and checks the KKT conditions. */
function polish(r: Float64Array, rows: LinearRow[], box: FairSetSpec['box'], x: Float64Array, tolerance: number): Polished {
  const n = r.length;
  // Loose enough to catch constraints Dykstra is still approaching, tight enough not to pin inactive ones.
  const activeTol = 1e-7;
  const free = new Float64Array(n).fill(1);
  const fixed = new Float64Array(n);
  const boxUpper: number[] = [];
  const boxLower: number[] = [];
  if (box) {
    for (let i = 0; i < n; i++) {
      if (x[i] >= box.upper - activeTol) {
        boxUpper.push(i);
        free[i] = 0;
        fixed[i] = box.upper;
      } else if (x[i] <= box.lower + activeTol) {
        boxLower.push(i);
        free[i] = 0;
        fixed[i] = box.lower;
      }
    }
  }
  const active = rows.flatMap((row, k) => (row.b - dot(row.a, x) <= activeTol ? [k] : []));
  // Ã (bound columns zeroed) and b̃; keep a linearly independent subset (pivoted Gram–Schmidt on the rows) so that
  // ÃÃᵀ is invertible; dropped rows are implied by the kept ones on the active face.
  const basis: Float64Array[] = [];
  const kept: number[] = [];
  const reduced: Float64Array[] = [];
  for (const k of active) {
    const a = rows[k].a.map((v, i) => v * free[i]);
    const residual = Float64Array.from(a);
    for (const e of basis) {
      const c = dot(e, residual);
      for (let i = 0; i < n; i++) residual[i] -= c * e[i];
    }
    const norm = Math.sqrt(dot(residual, residual));
    if (norm <= 1e-9 * Math.sqrt(dot(a, a))) continue;
    basis.push(residual.map((v) => v / norm));
    kept.push(k);
    reduced.push(a);
  }
  const m = kept.length;
  const rhs = Float64Array.from(kept, (k) => rows[k].b - dot(rows[k].a, fixed));
  const gram = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) gram[i * m + j] = dot(reduced[i], reduced[j]);
  const gramInverse = invertSymmetric(gram, m);
  // ν = (ÃÃᵀ)⁻¹(Ã r − b̃), y = F∘r + (1 − F)∘v − Ãᵀν.
  const excess = Float64Array.from(reduced, (a, i) => dot(a, r) - rhs[i]);
  const nu = new Float64Array(m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) nu[i] += gramInverse[i * m + j] * excess[j];
  const q = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) for (let k = 0; k < m; k++) q[i * m + j] += reduced[k][i] * gramInverse[k * m + j];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = free[i] * r[i] + fixed[i];
    for (let j = 0; j < m; j++) s -= reduced[j][i] * nu[j];
    y[i] = s;
  }
  const multipliers = new Float64Array(rows.length);
  kept.forEach((k, j) => (multipliers[k] = nu[j]));
  // Box multipliers from stationarity: r − y − Aᵀν = μ_upper − μ_lower on the bound coordinates.
  const pull = (i: number) => {
    let s = r[i] - y[i];
    for (let j = 0; j < m; j++) s -= rows[kept[j]].a[i] * nu[j];
    return s;
  };
  const scale = Math.max(1, ...Array.from(r, Math.abs));
  const signsOk = nu.every((v) => v >= -tolerance * scale) && boxUpper.every((i) => pull(i) >= -tolerance * scale) && boxLower.every((i) => pull(i) <= tolerance * scale);
  const feasible = maxViolation(rows, box, y) <= tolerance * scale;
  let distance = 0;
  for (let i = 0; i < n; i++) distance = Math.max(distance, Math.abs(y[i] - x[i]));
  return {
    solution: { y, rows, active, multipliers, boxUpper, boxLower, form: { free, fixed, rows: reduced, rhs, q } },
    certified: feasible && signsOk,
    feasible,
    distance,
  };
}

/** Inverse of a small symmetric positive-definite matrix by Gauss–Jordan with partial pivoting. */
function invertSymmetric(matrix: Float64Array, m: number): Float64Array {
  const a = Float64Array.from(matrix);
  const inv = new Float64Array(m * m);
  for (let i = 0; i < m; i++) inv[i * m + i] = 1;
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let row = col + 1; row < m; row++) if (Math.abs(a[row * m + col]) > Math.abs(a[pivot * m + col])) pivot = row;
    for (let k = 0; k < m; k++) {
      [a[col * m + k], a[pivot * m + k]] = [a[pivot * m + k], a[col * m + k]];
      [inv[col * m + k], inv[pivot * m + k]] = [inv[pivot * m + k], inv[col * m + k]];
    }
    const p = a[col * m + col];
    for (let k = 0; k < m; k++) {
      a[col * m + k] /= p;
      inv[col * m + k] /= p;
    }
    for (let row = 0; row < m; row++) {
      if (row === col) continue;
      const f = a[row * m + col];
      if (f === 0) continue;
      for (let k = 0; k < m; k++) {
        a[row * m + k] -= f * a[col * m + k];
        inv[row * m + k] -= f * inv[col * m + k];
      }
    }
  }
  return inv;
}
