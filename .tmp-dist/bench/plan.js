import { FairkitError } from '../errors.js';
import { getMethod } from '../methods/registry.js';
import { parseMethodParams, parseTrainingOptions } from '../train/fit.js';
import { makeTrial } from './trial.js';
/** The method every trade-off is measured against (FFB normalises by it); always part of a plan. */
export const REFERENCE_METHOD = 'erm';
/**
 * Every trial of a benchmark, in the order they should run: data set, then seed (or fold), then method and λ,
 * so that an interrupted run holds complete comparisons for its first seeds. Methods and parameters are checked
 * here, before anything runs.
 */
export function planTrials(plan) {
    const training = plan.training ?? {};
    parseTrainingOptions(training);
    const methods = [...new Set([REFERENCE_METHOD, ...plan.methods])];
    const configurations = methods.flatMap((name) => {
        const method = getMethod(name);
        const hasLambda = 'lambda' in method.params.parse({});
        const paramSets = hasLambda ? plan.lambdas.map((lambda) => ({ lambda })) : [{}];
        for (const params of paramSets)
            parseMethodParams(method, params);
        return paramSets.map((params) => ({ method: name, params }));
    });
    const repeats = repeatsOf(plan.repeats);
    if (plan.lambdas.length === 0)
        throw new FairkitError('no λ values were given', { where: '--lambdas' });
    return plan.datasets.flatMap(({ name, sensitive }) => repeats.flatMap(({ seed, fold }) => configurations.map(({ method, params }) => makeTrial({ dataset: name, sensitive, protocol: plan.protocol, method, params, seed, fold, training }))));
}
function repeatsOf(repeats) {
    if ('seeds' in repeats)
        return Array.from({ length: checkCount(repeats.seeds, 1, '--seeds') }, (_, seed) => ({ seed, fold: null }));
    const k = checkCount(repeats.folds, 2, '--folds');
    return Array.from({ length: k }, (_, index) => ({ seed: 0, fold: { index, of: k } }));
}
function checkCount(value, min, option) {
    if (!Number.isInteger(value) || value < min)
        throw new FairkitError(`expected a whole number of at least ${min}, got ${value}`, { where: option });
    return value;
}
//# sourceMappingURL=plan.js.map