/**
 * fairkit as a library: the same pieces the command-line tool is built from. Call initBackend() once before
 * training or predicting (it picks the TensorFlow.js backend and installs the exact-gradient fixes).
 */
export { FairkitError } from './errors.js';

// Data: CSV tables, standard data sets, synthetic data, groups, splits and encoders.
export { readTable, parseTable, type CsvOptions } from './data/csv.js';
export { loadDataset, isDatasetName, type DatasetName } from './data/loaders/index.js';
export { openDataset, DEFAULT_DATA_SEEDS, DEFAULT_MAX_GROUP_VALUES, type DatasetChoice } from './data/open-dataset.js';
export { generateSynthetic, type SyntheticOptions } from './data/synthetic.js';
export { generateSyntheticBiased, type SyntheticBiasedOptions, type SyntheticBiasedTruth } from './data/synthetic-biased.js';
export { generateRegressionSynthetic, fLayerRegressionDataset, F_LAYER_REGRESSION_GRID } from './data/synthetic-regression.js';
export { buildGroups, type Binning, type GroupOptions } from './data/groups.js';
export { binCuts, binLabels, binIndex } from './data/binning.js';
export { prepareDataset, DEFAULT_FRACTIONS, MIN_TRAINING_GROUP_ROWS, type PreparedSplits, type PrepareOptions } from './data/prepare.js';
export { stratifiedSplit, stratifiedKFold, strataOf } from './data/splits.js';
export { FeatureEncoder, type EncoderSpec } from './data/encoder.js';
export type { EncodedDataset, GroupIndex, LoadedDataset, ProblemSpec, Table } from './data/types.js';

// Metrics and audits (no TensorFlow.js).
export * from './metrics/index.js';
export { auditTable, type AuditOptions, type AuditResult } from './audit/audit-table.js';
// Streaming fairness (F-Layer online primal–dual inference); also `fairkit/stream`, which loads no TensorFlow.js.
export { FairStream, type FairStreamOptions, type FairStreamReport, type FairStreamJson, type StepRule } from './stream/index.js';
// F-Layer inference at an explicit batch size: exact projection from b_τ rows, the stream below.
export { fairInference, largestGap, DEFAULT_STREAM_THRESHOLD, DEFAULT_INFERENCE_ETA0, DEFAULT_INFERENCE_STEP_RULE, type FairInferenceOptions, type FairInferenceResult } from './flayer/fair-inference.js';
export { fairPredict, type FairInferenceSummary } from './flayer/fair-predict.js';

// Training: backend, methods, the loop, models.
export { initBackend, type BackendPreference } from './nn/backend.js';
export { listMethods, getMethod } from './methods/registry.js';
export type { Method, Needs, Penalty, Player, StepContext, TrainBatch, TrainingStep, LossRecord } from './train/method.js';
export { fit, parseMethodParams, parseTrainingOptions, type FitInput, type FitResult } from './train/fit.js';
export { History, type EpochReport, type TrainingCallback, type TrainingRun } from './train/callbacks.js';
export { trainAndEvaluate, classificationOutcome, type TrainingRequest, type TrainingOutcome } from './pipeline/train-and-evaluate.js';
export { evaluateOn, scoresOn, validationMetrics, type SplitReport } from './train/evaluation.js';
// `fairkit debias`: GroupMixNorm inserted into a trained MLP (startingFrom) and fine-tuned on a stratified fraction.
export { groupMixNormDebias, startingFrom, fineTuningSubset, debiasParams, type DebiasParams } from './methods/debias.js';
export { groupMixNorm, groupMixNormParams, type GroupMixNormParams } from './methods/groupmixnorm.js';
export { ContributionTracker, contributionDisparity } from './methods/contribution.js';
export { spreadByAttribute, type AttributeSpread, type SpreadInput } from './medl/attribute-spread.js';
export type { Model, ModelConfig, ModelInputs, ModelOutputs, ForwardOptions, NamedWeight } from './nn/model.js';
export { modelFromConfig, registerModelKind, modelKinds, type ModelKind } from './nn/model-kinds.js';
export { predictProba, predictHead, DEFAULT_PREDICT_BATCH, type PredictionRows, type PredictOptions } from './nn/predict.js';
export { buildMlp, type Mlp, type MlpConfig } from './nn/mlp.js';
export { buildPatchCnn, type PatchCnnConfig } from './nn/cnn.js';
export { buildGroupMixNormMlp, insertGroupMixNorm, isGroupMixNormMlp, type GroupMixNormMlp, type GroupMixNormOptions } from './nn/group-mix-norm-mlp.js';
export { GroupMixNormLayer, type GroupMixNormLayerArgs } from './nn/group-mix-norm-layer.js';
export { FittedModel, saveFittedModel, type PredictRecordsOptions, type RecordsPrediction, type RowPrediction, type SaveFittedModelInput } from './model-folder/fitted-model.js';
export { readModelFolder, loadModelFolder, writeModelFolder, type ModelFolderContents } from './model-folder/folder.js';
export type { InputRecord, RecordValue } from './model-folder/records.js';
export type { ModelFolder, Provenance, SavedGroups, SavedClusters } from './model-folder/schema.js';
// `fairkit predict`: a CSV file scored by a saved model, written back with score and prediction columns.
export { predictFile, type PredictOptions as PredictFileOptions } from './predict/predict-file.js';

// Benchmarks and reports.
export { runTrials, type RunTrialsOptions, type RunTrialsOutcome } from './bench/runner.js';
export { TrialFailure, type TrialExecutor } from './bench/executor.js';
export type { ResultSink } from './bench/sink.js';
export { WorkerPool } from './bench/pool.js';
export { JournalSink } from './bench/journal-sink.js';
export { aggregate, type BenchSummary, type StudySummary } from './bench/aggregate.js';
export { buildReport } from './report/build-report.js';
export { buildRunReport } from './report/run-report.js';
