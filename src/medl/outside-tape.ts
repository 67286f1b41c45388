/**
 * Runs `fn` inside a function that TensorFlow.js is differentiating (an optimiser's `minimize`, `tf.variableGrads`)
 * as if no gradient were being recorded: its ops stay off the outer gradient tape, and gradients taken inside `fn`
 * start a tape of their own, so `fn` behaves exactly as it would outside. The medl step uses it to update the
 * adversaries on the main network's outputs between the main forward pass and the main loss, so that one forward pass
 * serves both.
 *
 * TensorFlow.js has no public way to pause its tape: this sets aside the engine's recording state (`activeTape`,
 * `gradientDepth`, as in tfjs-core 4.x engine.ts) and restores it afterwards. outside-tape.test.ts checks that the
 * outer gradient is unchanged and that gradients inside work.
 */
import * as tf from '@tensorflow/tfjs';

interface TapeState {
  activeTape: unknown[] | null | undefined;
  gradientDepth: number;
}

export function outsideTape<T>(fn: () => T): T {
  const state = (tf.engine() as unknown as { state: TapeState }).state;
  if (typeof state?.gradientDepth !== 'number') throw new Error('outsideTape: unexpected TensorFlow.js engine state (gradientDepth)');
  const { activeTape, gradientDepth } = state;
  state.activeTape = null;
  state.gradientDepth = 0;
  try {
    return fn();
  } finally {
    state.activeTape = activeTape;
    state.gradientDepth = gradientDepth;
  }
}
