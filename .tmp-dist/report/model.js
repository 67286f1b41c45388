export const STATISTICS_NOTE = 'Numbers are test-split metrics ×100, mean ± sample standard deviation over runs (seeds or folds). Intervals are ' +
    '95% percentile bootstrap intervals of the mean over runs (2,000 resamples), rough with few runs. "/ERM" columns ' +
    'divide by ERM\'s mean (FFB\'s normalisation); hypervolume is the area those normalised points dominate above ' +
    'zero utility and below ERM\'s gap (ERM alone scores 0). * marks a configuration on a Pareto front.';
export function trainingOverrides(study) {
    const entries = Object.entries(study.training);
    return entries.length === 0 ? null : entries.map(([key, value]) => `${key} = ${JSON.stringify(value)}`).join(', ');
}
//# sourceMappingURL=model.js.map