/**
 * Runs `fn` inside a function that TensorFlow.js is differentiating (an optimiser's `minimize`, `tf.variableGrads`)
 * as if no gradient were being recorded: its ops stay off the outer gradient tape, and gradients taken inside `fn`
 * start a tape of their own, so `fn` behaves exactly as it would outside; tensors made in `fn` carry no gradient to
 * the outer computation. The medl step uses it to update the adversaries on the main network's outputs between the
 * main forward pass and the main loss, so that one forward pass serves both; GroupMixNorm for its running and reported
 * statistics, whose recording would only cost copies (the tape saves an Identity copy of each input a gradient reads).
 *
 * TensorFlow.js has no public way to pause its tape: this sets aside the engine's recording state (`activeTape`,
 * `gradientDepth`, as in tfjs-core 4.x engine.ts) and restores it afterwards. outside-tape.test.ts checks that the
 * outer gradient is unchanged and that gradients inside work.
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';

interface TapeState {
  activeTape: unknown[] | null | undefined;
  gradientDepth: number;
}

export function outsideTape<T>(fn: () => T): T {
  const state = (tf.engine() as unknown as { state: TapeState }).state;
  if (typeof state?.gradientDepth !== 'number') throw new FairkitError('outsideTape: unexpected TensorFlow.js engine state (no numeric gradientDepth); this code was written for tfjs-core 4.x', { fix: 'Install the @tensorflow/tfjs version in package-lock.json' });
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
