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
 * The predictor's direction (Zhang et al.'s projection) is formed on the host from the two gradients' values,
 * bit-identical to the tensor form the loop's players use (`projectedPredictorDirection`), and handed to the loop's
 * optimiser per variable.
 */
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../nn/model.js';
import type { FullStepContext, LossRecord, TrainBatch, TrainingStep } from '../train/method.js';
import type { AdversarialParams } from './adversarial.js';
import { withSharedSaves } from '../nn/shared-saves.js';
import { HostAdversary } from './host-adversary.js';
import { isPlainReluMlp } from './plain-mlp-forward.js';

/** The main network's direction from its task gradient and the adversary's, each given per variable in their order. */
export type CombineGradients = (task: Float32Array[], adversary: Float32Array[]) => Float32Array[];

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
        const values = (grads: tf.Tensor[]) => grads.map((g) => g.dataSync() as Float32Array);
        const direction = this.combine(values(task.grads), values(against));
        optimizer.applyGradients(Object.fromEntries(variables.map((v, i) => [v.name, tf.tensor(direction[i], v.shape)])));
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
    // Relu's registered gradient is dy·cast(step(x), 'float32') (tfjs-core's Relu_grad.js); Step's output is already
    // float32, so the mask step(x) is formed once here and read by both backward passes.
    const reluMasks = preActivations.slice(0, -1).map((pre) => tf.step(pre));
    const gradientFor = (u: tf.Tensor): tf.Tensor[] => backpropagate(u, inputs, preActivations, reluMasks, variables);
    const { value, grads } = tf.tidy(() => {
      const taskGradient = tf.valueAndGrad((z: tf.Tensor) => taskLoss({ logits: z as tf.Tensor2D }, batch));
      // First-order only, so the tape may keep its saves by reference (no Identity copies; the same bits).
      const { value: loss, grad: u } = withSharedSaves(() => taskGradient(logits));
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
        tf.dispose(reluMasks);
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
 * is x), each taken from the registered gradient configs so that a replaced gradient is used as well, and Relu's,
 * dy times the layer's mask step(x).
 */
function backpropagate(u: tf.Tensor, inputs: tf.Tensor2D[], preActivations: tf.Tensor2D[], reluMasks: tf.Tensor[], variables: tf.Variable[]): tf.Tensor[] {
  return tf.tidy(() => {
    const addGrad = tf.getGradient(tf.Add)!;
    const matMulGrad = tf.getGradient(tf.BatchMatMul)!;
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
      if (layer > 0) dy = tf.mul(matMul.a(), reluMasks[layer - 1]);
    }
    return grads;
  });
}
