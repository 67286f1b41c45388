import { matmul, matvec, positiveDefiniteFunctions } from './linalg.js';
import { dimOf, type GroupGaussians } from './gaussian.js';

export interface IdealCheck {
  /** True when every condition holds within the tolerance. */
  ideal: boolean;
  /** The largest absolute gap of each condition over all class pairs and group pairs. */
  gaps: { standardisedMeans: number; covarianceRatios: number; classOdds: number };
}

/**
 * The three sufficient conditions for Gaussian class conditionals to be ideal (methods.md §4 (a), Prop. 3.2), for
 * all classes i, j and groups a, a′: (1) Σ_ia^{-1/2}(μ_ia − μ_ja) equal across groups, (2) Σ_ia^{1/2}Σ_ja⁻¹Σ_ia^{1/2}
 * equal across groups, (3) q_ia/q_ja equal across groups. Univariate, binary class and group, they are also necessary.
 */
export function checkIdealConditions(groups: GroupGaussians[], tolerance = 1e-8): IdealCheck {
  const d = dimOf(groups[0]);
  const k = groups[0].priors.length;
  const gaps = { standardisedMeans: 0, covarianceRatios: 0, classOdds: 0 };
  const maxGap = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
  const perGroup = groups.map((group) => {
    // Σ^{1/2}, Σ^{-1/2} and Σ⁻¹ of each class from one eigendecomposition.
    const roots: Float64Array[] = [];
    const invRoots: Float64Array[] = [];
    const inverses: Float64Array[] = [];
    group.classes.forEach((c) => {
      const [root, invRoot, inv] = positiveDefiniteFunctions(c.cov, d, [Math.sqrt, (l) => 1 / Math.sqrt(l), (l) => 1 / l], 'ideal conditions');
      roots.push(root);
      invRoots.push(invRoot);
      inverses.push(inv);
    });
    const pairs: { means: Float64Array; ratio: Float64Array; odds: number }[] = [];
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
      if (i === j) continue;
      const diff = group.classes[i].mean.map((m, t) => m - group.classes[j].mean[t]);
      pairs.push({ means: matvec(invRoots[i], diff, d), ratio: matmul(matmul(roots[i], inverses[j], d), roots[i], d), odds: group.priors[i] / group.priors[j] });
    }
    return pairs;
  });
  for (let a = 1; a < groups.length; a++) perGroup[a].forEach((pair, p) => {
    const base = perGroup[0][p];
    gaps.standardisedMeans = Math.max(gaps.standardisedMeans, maxGap(pair.means, base.means));
    gaps.covarianceRatios = Math.max(gaps.covarianceRatios, maxGap(pair.ratio, base.ratio));
    gaps.classOdds = Math.max(gaps.classOdds, Math.abs(pair.odds - base.odds));
  });
  return { ideal: Object.values(gaps).every((gap) => gap <= tolerance), gaps };
}
