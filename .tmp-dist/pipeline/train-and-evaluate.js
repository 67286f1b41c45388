import { prepareDataset } from '../data/prepare.js';
import { getMethod } from '../methods/registry.js';
import { evaluate } from '../metrics/compute.js';
import { fit, parseMethodParams, parseTrainingOptions } from '../train/fit.js';
/**
 * Prepare, train and evaluate on the test split: what `fairkit train` and every benchmark trial do.
 * Parameters and options are validated before any data is split or any weight is trained.
 */
export function trainAndEvaluate(request) {
    const method = getMethod(request.method);
    const params = parseMethodParams(method, request.params);
    parseTrainingOptions(request.options);
    const prepared = prepareDataset(request.dataset, { fractions: request.fractions, seed: request.splitSeed, binning: request.binning });
    const fitted = fit({ method, params, train: prepared.train, validation: prepared.validation, options: request.options, onEpochEnd: request.onEpochEnd, onBatchStart: request.onBatchStart });
    const { test } = prepared;
    const testScores = fitted.model.predictProba(test.X, test.nRows, undefined, test.groups.ids);
    const report = evaluate({ yTrue: test.y, scores: testScores, groupIds: test.groups.ids, groups: test.groups });
    return { prepared, fitted, params, test: report, testScores };
}
//# sourceMappingURL=train-and-evaluate.js.map