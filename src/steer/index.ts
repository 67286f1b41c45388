/**
 * fairkit's steering toolkit: ideal distributions (methods.md §4), affine steering maps (Gaussian OT / MiMiC, mean
 * matching, LEACE) and data steering with versioned JSON maps. Browser-safe: no Node.js module, no TensorFlow.js.
 */
export { affirmativeAction, affineImage, type AffirmativeAction, type KlDirection } from './ideal.js';
export { idealMoments, type IdealMoments, type IdealMomentsOptions } from './ideal-moments.js';
export { allSubgroup, type AllSubgroupSteering } from './all-subgroup.js';
export { checkIdealConditions, type IdealCheck } from './conditions.js';
export { fromUnivariate, gaussianKl, groupKl, toUnivariate, type Gaussian, type GroupGaussians, type UnivariateGroup } from './gaussian.js';
export { affirmativeActionLogNormal, affirmativeActionUnivariate, bayesGaps, bayesRates, jsDivergence, normalCdf, type BayesRates, type Costs, type UnivariateSteering } from './univariate.js';
export { applyAffine, fitLeace, gaussianOtMap, meanMatchingMap, optimalLinearShrinkage, type AffineMap, type LeaceOptions } from './affine.js';
export { fitSteering, IDEAL_SOLVERS, mixtureMoments, STEER_METHODS, type IdealSolver, type SteerData, type SteerMethod, type SteerOptions } from './data-steering.js';
export { applySteering, type ApplyCounts } from './apply.js';
export { fitGroupClassifier, groupProbabilities, predictGroup, type GroupClassifier, type GroupClassifierOptions } from './group-classifier.js';
export { parseSteeringMap, steeringMapSchema, STEERING_MAP_VERSION, type SteeringMap, type SteeringMapEntry } from './map-schema.js';
