import type { LoadedDataset } from '../data/types.js';
import { clusterKFold, clusterStrata, stratifiedKFold, stratifiedSplit } from '../data/splits.js';
import { FairkitError } from '../errors.js';
import type { TrainingOptionsInput } from '../train/options.js';
import { binarizeSensitive } from './binarize-sensitive.js';
import { dropSensitiveInputs } from './sensitive-inputs.js';
import type { ProtocolName, Trial } from './trial.js';

/** How trials are run: the data preparation, the split and the training setup of a published benchmark. */
export interface Protocol {
  name: ProtocolName;
  title: string;
  /** Markdown bullet points for reports and docs. */
  description: string[];
  /** Adapts the loaded data set (which attributes are inputs, how the sensitive attribute is coded). */
  adaptDataset(dataset: LoadedDataset): LoadedDataset;
  /**
   * Train, validation and test rows from the rows' (label, group) strata (2·group + label) and, with a cluster
   * column, their cluster ids (needed by a fold trial with a cluster split).
   */
  split(strata: Int32Array, trial: Pick<Trial, 'seed' | 'fold'>, clusters?: Int32Array): Int32Array[];
  /** Training options for a training split of `trainRows` rows (the trial's overrides and seed come on top). */
  training(trainRows: number): TrainingOptionsInput;
}

/** Share of the non-test rows held out for validation (training curves) under k-fold cross-validation. */
const FOLD_VALIDATION_SHARE = 0.1;
const FFB_STEPS = 150;
const FFB_BATCH = 1024;

const ffb: Protocol = {
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
  split: (strata, trial, clusters) => splitRows(labelsOnly(strata), [0.4, 0.3, 0.3], trial, clusters),
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

const gcm: Protocol = {
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
  split: (strata, trial, clusters) => splitRows(strata, [0.6, 0.2, 0.2], trial, clusters),
  training: () => ({ hidden: [200], activation: 'relu', optimizer: 'adam', learningRate: 1e-3, batchSize: 2000, epochs: 50 }),
};

const PROTOCOLS: Record<ProtocolName, Protocol> = { ffb, gcm };

export function getProtocol(name: ProtocolName): Protocol {
  return PROTOCOLS[name];
}

/** Label-only strata (FFB stratifies its splits on y alone). */
function labelsOnly(strata: Int32Array): Int32Array {
  return strata.map((stratum) => stratum & 1);
}

/**
 * A seeded stratified split by `fractions`, or for a fold trial: that fold as the test split and the other
 * folds split into train and validation (FOLD_VALIDATION_SHARE), both stratified on the same strata. With a
 * cluster split the folds are drawn from the clusters: 'seen' stratifies on (cluster, stratum), validation too, so
 * every cluster with at least k rows is in every fold's test and training rows; 'unseen' holds whole clusters out
 * (group k-fold), and validation is drawn from the training clusters as without clusters.
 */
function splitRows(strata: Int32Array, fractions: number[], trial: Pick<Trial, 'seed' | 'fold'>, clusters?: Int32Array): Int32Array[] {
  const { fold } = trial;
  if (!fold) return stratifiedSplit(strata, fractions, trial.seed);
  if (fold.clusterSplit && !clusters) {
    throw new FairkitError(`--cluster-split ${fold.clusterSplit} needs cluster ids, and the data set has no cluster column`, { fix: 'Name one with --clusters COL' });
  }
  const foldStrata = fold.clusterSplit === 'seen' ? clusterStrata(strata, clusters!) : strata;
  const folds = fold.clusterSplit === 'unseen' ? clusterKFold(clusters!, fold.of, trial.seed) : stratifiedKFold(foldStrata, fold.of, trial.seed);
  const { train: rest, test } = folds[fold.index];
  const [train, validation] = validationSplit(rest.map((row) => foldStrata[row]), trial.seed, fold.clusterSplit === 'seen');
  return [train.map((i) => rest[i]), validation.map((i) => rest[i]), test];
}

/** Train and validation positions among a fold's training rows; a seen-cluster split's strata are finer, so say so. */
function validationSplit(strata: Int32Array, seed: number, byCluster: boolean): Int32Array[] {
  try {
    return stratifiedSplit(strata, [1 - FOLD_VALIDATION_SHARE, FOLD_VALIDATION_SHARE], seed);
  } catch (error) {
    if (!byCluster || !(error instanceof FairkitError)) throw error;
    throw new FairkitError('the validation split of a seen-cluster fold gets no rows: every (cluster, label, group) stratum of its training rows has fewer than 5 rows', {
      fix: 'Use fewer folds, --cluster-split unseen, or a cluster column with fewer values',
    });
  }
}
