import { stratifiedKFold, stratifiedSplit } from '../data/splits.js';
import { binarizeSensitive } from './binarize-sensitive.js';
import { dropSensitiveInputs } from './sensitive-inputs.js';
/** Share of the non-test rows held out for validation (training curves) under k-fold cross-validation. */
const FOLD_VALIDATION_SHARE = 0.1;
const FFB_STEPS = 150;
const FFB_BATCH = 1024;
const ffb = {
    name: 'ffb',
    title: 'FFB (Han et al. 2023)',
    description: [
        'Split 40% train / 30% validation / 30% test, stratified on the label.',
        'MLP 512-256-64 (ReLU, dropout 0.5 after each hidden layer as FFB\'s `F.dropout` default), one sigmoid output, BCE.',
        `Adam, learning rate 1e-2, multiplied by 0.1 every 50 steps; batch ${FFB_BATCH}; ${FFB_STEPS} steps, run as whole epochs (the last epoch may add a few steps at rate 1e-5).`,
        'The sensitive attribute is not an input, nor any column it can be read off from (COMPAS race for race_binary); a multi-valued one is coded privileged vs the rest (Caucasian vs not).',
        'Metrics at threshold 0.5 on the test split.',
    ],
    adaptDataset: (dataset) => dropSensitiveInputs(binarizeSensitive(dataset)),
    split: (strata, trial) => splitRows(labelsOnly(strata), [0.4, 0.3, 0.3], trial),
    training: (trainRows) => ({
        hidden: [512, 256, 64],
        activation: 'relu',
        dropout: 0.5,
        optimizer: 'adam',
        learningRate: 1e-2,
        schedule: { kind: 'step', every: 50, gamma: 0.1 },
        batchSize: FFB_BATCH,
        epochs: Math.max(1, Math.ceil(FFB_STEPS / Math.ceil(trainRows / FFB_BATCH))),
    }),
};
const gcm = {
    name: 'gcm',
    title: 'GCM (Li et al. 2023)',
    description: [
        'Split 60% train / 20% validation / 20% test, stratified on label and group (the paper does not state its split).',
        'MLP with one hidden layer of 200 ReLU units, one sigmoid output, BCE.',
        'Adam, learning rate 1e-3, batch 2000, 50 epochs (the paper does not state the number of epochs).',
        'The sensitive attribute stays an input where the data set\'s loader keeps it (Adult, COMPAS), as in the paper.',
        'Metrics at threshold 0.5 on the test split; the paper plots AP against −ΔEO (sum form).',
    ],
    adaptDataset: (dataset) => dataset,
    split: (strata, trial) => splitRows(strata, [0.6, 0.2, 0.2], trial),
    training: () => ({ hidden: [200], activation: 'relu', optimizer: 'adam', learningRate: 1e-3, batchSize: 2000, epochs: 50 }),
};
const PROTOCOLS = { ffb, gcm };
export function getProtocol(name) {
    return PROTOCOLS[name];
}
/** Label-only strata (FFB stratifies its splits on y alone). */
function labelsOnly(strata) {
    return strata.map((stratum) => stratum & 1);
}
/**
 * A seeded stratified split by `fractions`, or for a fold trial: that fold as the test split and the other
 * folds split into train and validation (FOLD_VALIDATION_SHARE), both stratified on the same strata.
 */
function splitRows(strata, fractions, trial) {
    if (!trial.fold)
        return stratifiedSplit(strata, fractions, trial.seed);
    const { train: rest, test } = stratifiedKFold(strata, trial.fold.of, trial.seed)[trial.fold.index];
    const [train, validation] = stratifiedSplit(rest.map((row) => strata[row]), [1 - FOLD_VALIDATION_SHARE, FOLD_VALIDATION_SHARE], trial.seed);
    return [train.map((i) => rest[i]), validation.map((i) => rest[i]), test];
}
//# sourceMappingURL=protocols.js.map