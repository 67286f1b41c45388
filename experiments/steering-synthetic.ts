/**
 * Optimal steering on synthetic Gaussian groups (methods.md §4, docs/methods/steering.md): for several univariate
 * parameter sets, the group-aware Bayes classifier's error, ΔDP and ΔEO (costs 1:1) before and after steering group 0
 * to its KL-nearest ideal distribution (affirmative action, forward and reverse KL; all-subgroup), with the KL and JS
 * divergence moved over the whole population (X, Y, A) with P(A = 0) = 0.3, so the interventions compare. Then a 3-feature case through data steering: sampled rows (seed 0), the ideal conditions' gaps
 * before and after `fitSteering` + `applySteering` with the rows' labels. Exact, no training; runs in about a second.
 *
 * Run: node --import tsx experiments/steering-synthetic.ts
 */
import { GroupLabelMoments } from '../src/metrics/moments.js';
import { Rng } from '../src/rng.js';
import { affirmativeActionUnivariate, allSubgroup, applySteering, bayesGaps, bayesRates, checkIdealConditions, fitSteering, jsDivergence, type UnivariateGroup } from '../src/steer/index.js';

const share = 0.3;
const cases: { name: string; steered: UnivariateGroup; reference: UnivariateGroup }[] = [
  { name: 'A: shifted, narrower', steered: { priors: [0.6, 0.4], means: [0, 1.5], sds: [1, 0.8] }, reference: { priors: [0.5, 0.5], means: [0.5, 2.5], sds: [1.2, 1] } },
  { name: 'B: unequal spreads', steered: { priors: [0.7, 0.3], means: [-1, 0.2], sds: [0.5, 2] }, reference: { priors: [0.4, 0.6], means: [0, 3], sds: [1, 1.5] } },
  { name: 'C: close groups', steered: { priors: [0.5, 0.5], means: [0.1, 1.9], sds: [1, 1.1] }, reference: { priors: [0.45, 0.55], means: [0, 2], sds: [1, 1] } },
];
const costs = { falsePositive: 1, falseNegative: 1 };
const row = (cells: (string | number)[]) => `| ${cells.map((c) => (typeof c === 'number' ? c.toFixed(4) : c)).join(' | ')} |`;
const bayesError = (groups: [UnivariateGroup, UnivariateGroup]) => share * bayesRates(groups[0], costs).error + (1 - share) * bayesRates(groups[1], costs).error;

console.log(row(['case', 'intervention', 'γ', 'Bayes error', 'ΔDP', 'ΔEO', 'KL (nats)', 'JS (nats)']));
console.log(row(['---', '---', '---', '---', '---', '---', '---', '---']));
for (const c of cases) {
  const before = bayesGaps([c.steered, c.reference], costs);
  console.log(row([c.name, 'none', '—', bayesError([c.steered, c.reference]), before.dp, before.eo, 0, 0]));
  for (const direction of ['forward', 'reverse'] as const) {
    const s = affirmativeActionUnivariate(c.steered, c.reference, direction);
    const after = bayesGaps([s.target, c.reference], costs);
    console.log(row([c.name, `affirmative action, ${direction} KL`, s.gamma, bayesError([s.target, c.reference]), after.dp, after.eo, share * s.kl, share * jsDivergence(c.steered, s.target)]));
  }
  const all = allSubgroup(c.steered, c.reference, share);
  const after = bayesGaps(all.targets, costs);
  const js = share * jsDivergence(c.steered, all.targets[0]) + (1 - share) * jsDivergence(c.reference, all.targets[1]);
  console.log(row([c.name, 'all subgroups (KL weighted by P(A))', all.gamma, bayesError(all.targets), after.dp, after.eo, all.kl, js]));
}

// Data steering, 3 features, 2 groups × 2 classes, 6000 rows.
const rng = new Rng(0);
const n = 6000;
const dim = 3;
const rows = new Float64Array(n * dim);
const groups = new Int32Array(n);
const labels = new Int32Array(n);
for (let i = 0; i < n; i++) {
  groups[i] = rng.uniform() < share ? 1 : 0;
  labels[i] = rng.uniform() < (groups[i] ? 0.3 : 0.5) ? 1 : 0;
  const z = [rng.normal(), rng.normal(), rng.normal()];
  for (let j = 0; j < dim; j++) rows[i * dim + j] = (groups[i] ? 0.7 : 1) * (z[j] + 0.4 * z[0]) + labels[i] * (1.5 + 0.5 * j) - groups[i] * (0.8 - 0.3 * j);
}
const data = { rows, dim, groups, labels, features: ['x0', 'x1', 'x2'], groupNames: ['a', 'b'], labelNames: ['0', '1'], sensitive: 'g', label: 'y' };
const gapsOf = (x: Float64Array) => {
  const m = new GroupLabelMoments({ nGroups: 2, nLabels: 2, dim });
  m.add(x, dim, groups, labels);
  const fitted = [0, 1].map((g) => ({ priors: [0.5, 0.5], classes: [0, 1].map((y) => ({ mean: m.mean(g, y)!, cov: m.covariance(g, y)! })) }));
  return checkIdealConditions(fitted).gaps;
};
console.log('\nideal-condition gaps (priors equalised) before:', JSON.stringify(gapsOf(rows)));
for (const idealSolver of ['moments', 'scalar'] as const) {
  const map = fitSteering(data, { method: 'ideal', shrinkage: 0, idealSolver });
  const steered = Float64Array.from(rows);
  applySteering(map, steered, Array.from(groups, (g) => data.groupNames[g]), Array.from(labels, (y) => data.labelNames[y]));
  console.log(`3-feature data steering, ${idealSolver} solver (seed 0, ${n} rows, reference ${map.reference}): γ = ${map.diagnostics[0].gamma.toFixed(4)}, KL = ${map.diagnostics[0].kl.toFixed(4)} nats`);
  console.log('ideal-condition gaps (priors equalised) after: ', JSON.stringify(gapsOf(steered)));
}
