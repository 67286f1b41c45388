/**
 * Runs bookkeeping ops (e.g. running statistics) without recording them on an active gradient tape.
 *
 * Inside tf.variableGrads / optimizer.minimize every op is recorded, and TensorFlow.js copies each input it will
 * need for the op's gradient (an Identity kernel per saved tensor): for values that are never differentiated this is
 * pure cost. TensorFlow.js itself stops recording while a kernel runs (`isTapeOn()` is gradientDepth > 0 and
 * kernelDepth === 0, tfjs-core 4.x engine); this borrows that switch for the duration of `f`. Tensors made here carry
 * no gradient: never feed them into the differentiated computation.
 */
import * as tf from '@tensorflow/tfjs';

export function untaped<T>(f: () => T): T {
  const state = tf.engine().state;
  state.kernelDepth++;
  try {
    return f();
  } finally {
    state.kernelDepth--;
  }
}
