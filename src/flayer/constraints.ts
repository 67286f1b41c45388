/**
 * The F-Layer's constraint set written out as linear rows a·y ≤ b (methods.md §3 (a)): the form the active-set
 * polish, the KKT checks and the Jacobian use. Rows are dense (one coefficient per output): batches are small and
 * the number of rows is a few per group.
 */
import { FairkitError } from '../errors.js';

/** One attribute's group ids (negative: the row is in no group of this attribute). */
export interface AttributeGroups {
  groups: Int32Array;
  nGroups: number;
}

/**
 * The groups each constrained attribute sees in a batch: the intersectional ids themselves, or, with marginal
 * constraints, each attribute's value index per row (valueOf[g] for intersectional group g; −1, no group, stays −1).
 */
export function attributeGroups(groups: Int32Array, nGroups: number, marginal?: readonly { valueOf: readonly number[]; nValues: number }[]): AttributeGroups[] {
  if (!marginal) return [{ groups, nGroups }];
  return marginal.map(({ valueOf, nValues }) => ({ groups: Int32Array.from(groups, (g) => (g < 0 ? -1 : valueOf[g])), nGroups: nValues }));
}

/** What the outputs must satisfy; every part optional, at least one present. */
export interface FairSetSpec {
  /** The slack ε, in output units (logits for classification). */
  epsilon: number;
  /** ECP, marginal per attribute: every pairwise gap of its present groups' means ≤ ε. */
  ecp?: AttributeGroups[];
  /** EER: for every present group g of each attribute, |mean_g(y − t)| ≤ ε, t the targets. */
  eer?: { attributes: AttributeGroups[]; targets: Float64Array };
  /** Box: lower ≤ y_i ≤ upper. */
  box?: { lower: number; upper: number };
}

export interface LinearRow {
  /** Dense coefficients, one per output. */
  a: Float64Array;
  b: number;
  /** e.g. "ecp 0: gap(1,0)" or "eer 1: +(0)", for error messages and tests. */
  name: string;
}

/** Per-group counts of one attribute, with its ids checked against n and nGroups. */
export function attributeCounts(attr: AttributeGroups, n: number): Float64Array {
  if (attr.groups.length !== n) throw new FairkitError(`the F-Layer projection got ${attr.groups.length} group ids for ${n} outputs`);
  const counts = new Float64Array(attr.nGroups);
  for (const g of attr.groups) {
    if (g >= attr.nGroups) throw new FairkitError(`group id ${g} is out of range for ${attr.nGroups} groups in the F-Layer projection`);
    if (g >= 0) counts[g] += 1;
  }
  return counts;
}

function meanRow(attr: AttributeGroups, counts: Float64Array, g: number, n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) if (attr.groups[i] === g) a[i] = 1 / counts[g];
  return a;
}

export function checkSpec(spec: FairSetSpec, n: number): void {
  if (!(spec.epsilon >= 0) || !Number.isFinite(spec.epsilon)) throw new FairkitError(`the F-Layer slack ε must be a finite number ≥ 0, got ${spec.epsilon}`);
  if (spec.box && !(spec.box.lower <= spec.box.upper)) throw new FairkitError(`the F-Layer box needs lower ≤ upper, got [${spec.box.lower}, ${spec.box.upper}]`);
  if (spec.eer && spec.eer.targets.length !== n) throw new FairkitError(`the F-Layer EER constraint got ${spec.eer.targets.length} targets for ${n} outputs`);
}

/** The linear rows of the ECP and EER parts (the box is kept separate: it is handled coordinate-wise). */
export function linearRows(spec: FairSetSpec, n: number): LinearRow[] {
  const rows: LinearRow[] = [];
  (spec.ecp ?? []).forEach((attr, k) => {
    const counts = attributeCounts(attr, n);
    const present = [...counts.keys()].filter((g) => counts[g] > 0);
    if (present.length < 2) return; // fewer than two groups present: no constraint (§3 (b))
    const means = present.map((g) => meanRow(attr, counts, g, n));
    present.forEach((g, i) =>
      present.forEach((h, j) => {
        if (g === h) return;
        const a = new Float64Array(n);
        for (let r = 0; r < n; r++) a[r] = means[i][r] - means[j][r];
        rows.push({ a, b: spec.epsilon, name: `ecp ${k}: gap(${g},${h})` });
      }),
    );
  });
  if (spec.eer) {
    const { targets } = spec.eer;
    spec.eer.attributes.forEach((attr, k) => {
      const counts = attributeCounts(attr, n);
      for (let g = 0; g < attr.nGroups; g++) {
        if (counts[g] === 0) continue;
        const a = meanRow(attr, counts, g, n);
        let meanTarget = 0;
        for (let r = 0; r < n; r++) meanTarget += a[r] * targets[r];
        rows.push({ a, b: meanTarget + spec.epsilon, name: `eer ${k}: +(${g})` });
        rows.push({ a: a.map((v) => -v), b: spec.epsilon - meanTarget, name: `eer ${k}: -(${g})` });
      }
    });
  }
  return rows;
}

export function dot(a: Float64Array, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * y[i];
  return s;
}

/** The largest violation of the rows and the box by y (0 when feasible). */
export function maxViolation(rows: LinearRow[], box: FairSetSpec['box'], y: ArrayLike<number>): number {
  let worst = 0;
  for (const row of rows) worst = Math.max(worst, dot(row.a, y) - row.b);
  if (box) for (let i = 0; i < y.length; i++) worst = Math.max(worst, box.lower - y[i], y[i] - box.upper);
  return worst;
}
