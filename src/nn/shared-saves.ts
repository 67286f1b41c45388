/**
 * Runs `fn` with TensorFlow.js's gradient tapes keeping the tensors a gradient needs by reference instead of by copy.
 *
 * When an op runs on a gradient tape, the engine saves the inputs and outputs its gradient will read, each as a
 * `clone` — an Identity kernel that, on wasm, copies the whole buffer (about a third of a medl epoch's kernels, the
 * [rows, hidden] activations among them). TensorFlow.js tensors are immutable (a Variable's `assign` points it at a
 * new buffer, every kernel writes a fresh output), so a new tensor on the same buffer, with the backend's reference
 * count raised — what wasm's Reshape kernel does — holds the very same values, and every gradient is bit-identical.
 *
 * No public hook exists: this replaces the engine's `saveTensorsForBackwardMode` (tfjs-core 4.x engine.ts) on the
 * engine object for the duration of `fn` and puts it back afterwards. Backends without `incRef` keep the copies.
 * shared-saves.test.ts checks gradients and memory against the copying engine.
 *
 * Only for steps checked bit for bit against the copying engine (the medl step is): wrapped around the whole training
 * loop it kept 16 of 17 methods' weights bit-identical, but fairmixup, whose penalty differentiates an input gradient
 * (double backprop through TensorFlow.js's autodiff), trained as if its penalty were absent.
 */
import * as tf from '@tensorflow/tfjs';

interface EngineInternals {
  saveTensorsForBackwardMode?: (tensors: tf.Tensor[]) => tf.Tensor[];
  makeTensorFromTensorInfo: (info: { dataId: object; shape: number[]; dtype: tf.DataType }) => tf.Tensor;
  keep: <T extends tf.Tensor>(tensor: T) => T;
  backend: { incRef?: (dataId: object) => void };
}

export function withSharedSaves<T>(fn: () => T): T {
  const engine = tf.engine() as unknown as EngineInternals;
  const own = Object.prototype.hasOwnProperty.call(engine, 'saveTensorsForBackwardMode');
  const backend = engine.backend;
  // Nested use, or an engine/backend this was not written for: run as is.
  if (own || typeof engine.saveTensorsForBackwardMode !== 'function' || typeof backend.incRef !== 'function') return fn();
  engine.saveTensorsForBackwardMode = (tensors) =>
    tensors.map((tensor) => {
      backend.incRef!(tensor.dataId);
      return engine.keep(engine.makeTensorFromTensorInfo({ dataId: tensor.dataId, shape: tensor.shape, dtype: tensor.dtype }));
    });
  try {
    return fn();
  } finally {
    delete engine.saveTensorsForBackwardMode;
  }
}
