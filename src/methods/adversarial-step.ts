/**
 * The adversarial method's per-batch update with one forward pass of the main network. Both of the predictor's
 * gradients, of the task loss and of the adversary's loss, reach its weights θ only through its logits z, so each is
 * J_θᵀ·u for its own upstream gradient u = ∂L/∂z ([rows, 1]). The step records one forward pass, trains the adversary
 * on z (host-adversary.ts; z is a constant to it), forms u for both losses, and takes the two backward passes.
 *
 * For a plain MLP (the base model of every tabular run) the backward passes are written out with the gradient
 * functions TensorFlow.js registers for the forward pass's kernels, applied in the order its autodiff applies them,
 * so from the same u they give the same bits; both share the one recorded forward pass. Any other model is run
 * through TensorFlow.js's autodiff: one forward and backward pass for the task gradient (which also gives z), and one
 * for J_θᵀ·u_A as the gradient of Σ z·u_A.
 *
 * The predictor's direction (Zhang et al.'s projection) and the main optimiser's update are the loop's for players,
 * unchanged: the flattened gradients, `projectedPredictorGradient`, split back and applied.
 */
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../nn/model.js';
import type { FullStepContext, LossRecord, TrainBatch, TrainingStep } from '../train/method.js';
import type { AdversarialParams } from './adversarial.js';
import { HostAdversary } from './host-adversary.js';
import { isPlainReluMlp } from './plain-mlp-forward.js';

/** The gradient of the flattened main-network direction from the task gradient and the adversary's (both flat). */
export type CombineGradients = (task: tf.Tensor1D, adversary: tf.Tensor1D) => tf.Tensor1D;

export class AdversarialStep implements TrainingStep {
  readonly adversary: HostAdversary;

  constructor(
    private readonly context: FullStepContext<AdversarialParams>,
    private readonly combine: CombineGradients,
  ) {
    const { params, nGroups, rng } = context;
    this.adversary = new HostAdversary({
      form: params.form,
      hidden: params.adversaryHidden,
      nGroups,
      learningRate: params.adversaryLearningRate,
      seed: rng.int(0x7fffffff),
      epsilon: tf.backend().epsilon(),
    });
  }

  run(batch: TrainBatch): LossRecord {
    const { model, params, optimizer } = this.context;
    const variables = model.variables;
    const backward = isPlainReluMlp(model) ? this.mlpBackward(batch) : this.autodiffBackward(batch);
    try {
      const { task, z } = backward;
      this.adversary.train(z, batch.labels, batch.groups, params.adversarySteps);
      const { loss, logitGradient } = this.adversary.lossAndLogitGradient(z, batch.labels, batch.groups);
      tf.tidy(() => {
        const against = backward.gradientFor(tf.tensor2d(logitGradient, [logitGradient.length, 1]));
        const flat = (grads: tf.Tensor[]) => tf.concat(grads.map((g) => tf.reshape(g, [-1]))) as tf.Tensor1D;
        const direction = this.combine(flat(task.grads), flat(against));
        const pieces = tf.split(direction, variables.map((v) => v.size));
        optimizer.applyGradients(Object.fromEntries(variables.map((v, i) => [v.name, tf.reshape(pieces[i], v.shape)])));
      });
      return { total: task.value, adversary: loss };
    } finally {
      backward.dispose();
    }
  }

  /** The task gradient and z by TensorFlow.js's autodiff; the adversary's gradient by a second pass. */
  private autodiffBackward(batch: TrainBatch): RecordedBackward {
    const { model, forwardBatch, taskLoss } = this.context;
    let logits: tf.Tensor | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const outputs = forwardBatch(batch);
      logits = tf.keep(outputs.logits);
      return taskLoss(outputs, batch);
    }, model.variables);
    const z = logits!.dataSync() as Float32Array;
    logits!.dispose();
    const task = { value: value.dataSync()[0], grads: model.variables.map((v) => grads[v.name]) };
    value.dispose();
    return {
      task,
      z,
      gradientFor: (u) => {
        const result = tf.variableGrads(() => tf.sum(tf.mul(forwardBatch(batch).logits, u)), model.variables);
        result.value.dispose();
        return model.variables.map((v) => result.grads[v.name]);
      },
      dispose: () => tf.dispose(task.grads),
    };
  }

  /**
   * One recorded forward pass of a plain ReLU MLP (the same ops as its `forward`), and its backward pass for any
   * upstream gradient by the registered gradients of those ops.
   */
  private mlpBackward(batch: TrainBatch): RecordedBackward {
    const { model, taskLoss } = this.context;
    const variables = model.variables;
    const layers = variables.length / 2;
    // inputs[l] is layer l's input, preActivations[l] its x·W + b.
    const inputs: tf.Tensor2D[] = [batch.x];
    const preActivations: tf.Tensor2D[] = [];
    for (let layer = 0; layer < layers; layer++) {
      const pre = tf.tidy(() => tf.add(tf.matMul(inputs[layer], variables[2 * layer]), variables[2 * layer + 1]) as tf.Tensor2D);
      preActivations.push(pre);
      if (layer < layers - 1) inputs.push(tf.relu(pre));
    }
    const logits = preActivations[layers - 1];
    const gradientFor = (u: tf.Tensor): tf.Tensor[] => backpropagate(u, inputs, preActivations, variables);
    const { value, grads } = tf.tidy(() => {
      const taskGradient = tf.valueAndGrad((z: tf.Tensor) => taskLoss({ logits: z as tf.Tensor2D }, batch));
      const { value: loss, grad: u } = taskGradient(logits);
      return { value: loss, grads: gradientFor(u) };
    });
    const task = { value: value.dataSync()[0], grads };
    value.dispose();
    return {
      task,
      z: logits.dataSync() as Float32Array,
      gradientFor,
      dispose: () => {
        tf.dispose(task.grads);
        tf.dispose(inputs.slice(1));
        tf.dispose(preActivations);
      },
    };
  }

  dispose(): void {}
}

interface RecordedBackward {
  task: { value: number; grads: tf.Tensor[] };
  /** The logits of the batch, one per row. */
  z: Float32Array;
  /** J_θᵀ·u over the main network's variables, in their order. */
  gradientFor(u: tf.Tensor): tf.Tensor[];
  dispose(): void;
}

/** Whether the forward pass is buildMlp's with ReLU, no dropout and one logit: x·W + b layers with ReLU between. */
/**
 * The MLP's backward pass for the upstream gradient u of its logits, as TensorFlow.js's autodiff runs it: per layer
 * from the last, Add's gradient (the bias: dy summed over the rows), MatMul's (kernel, and the layer input unless it
 * is x) and Relu's, each taken from the registered gradient configs so that a replaced gradient is used as well.
 */
function backpropagate(u: tf.Tensor, inputs: tf.Tensor2D[], preActivations: tf.Tensor2D[], variables: tf.Variable[]): tf.Tensor[] {
  return tf.tidy(() => {
    const addGrad = tf.getGradient(tf.Add)!;
    const matMulGrad = tf.getGradient(tf.BatchMatMul)!;
    const reluGrad = tf.getGradient(tf.Relu)!;
    const grads: tf.Tensor[] = new Array(variables.length);
    let dy: tf.Tensor = tf.reshape(u, preActivations[preActivations.length - 1].shape);
    for (let layer = preActivations.length - 1; layer >= 0; layer--) {
      const kernel = variables[2 * layer];
      const bias = variables[2 * layer + 1];
      // Add's gradient reads only its inputs' shapes; the product x·W has the pre-activation's.
      const add = addGrad.gradFunc(dy, [preActivations[layer], bias], {});
      grads[2 * layer + 1] = add.b();
      const dProduct = add.a();
      const matMul = matMulGrad.gradFunc(dProduct, [inputs[layer], kernel], { transposeA: false, transposeB: false });
      grads[2 * layer] = matMul.b();
      if (layer > 0) dy = reluGrad.gradFunc(matMul.a(), [preActivations[layer - 1]], {}).x();
    }
    return grads;
  });
}
