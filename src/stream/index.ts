/** Streaming fairness (F-Layer's online primal–dual inference): browser-safe, no TensorFlow.js, no Node.js built-ins. */
export { FairStream, type FairStreamOptions, type FairStreamReport, type FairStreamState, type StepRule } from './fair-stream.js';
export { type FairStreamJson } from './stream-json.js';
export { binaryTargets, groupTargets, anchoredShift, penalisedStep, groupShiftObjective } from './group-shifts.js';
export { boxedBinary, boxedAgainstFixed, type Box } from './boxed-dual.js';
