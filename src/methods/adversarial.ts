import { z } from 'zod';
import type { Method } from '../train/method.js';
import { AdversarialStep } from './adversarial-step.js';
import { requireTwoGroups } from './group-cells.js';

export const adversarialParams = z
  .object({
    lambda: z.number().min(0).default(0.3),
    form: z.enum(['eo', 'dp']).default('eo'),
    adversaryLearningRate: z.number().positive().default(0.01),
    adversarySteps: z.number().int().min(1).default(10),
    adversaryHidden: z.number().int().min(0).default(16),
  })
  .strict();
export type AdversarialParams = z.infer<typeof adversarialParams>;

/**
 * Adversarial debiasing (Zhang, Lemoine & Mitchell 2018; methods.md §6). An adversary predicts the group from
 * s = σ((1+|c|)·z) (dp) or from [s, s·y, s·(1−y), y] (eo; y lets it model P(A | Y)). Per batch it takes
 * `adversarySteps` Adam steps on its own loss; then the predictor takes one step along
 * ∇L_P − proj_{∇L_A} ∇L_P − λ·∇L_A, computed on the gradient flattened over all predictor weights.
 *
 * The update is the method's own step (adversarial-step.ts): one forward pass of the main network per batch, the
 * adversary trained on the host (host-adversary.ts); it equals the loop's player update (three forward passes, the
 * adversary in TensorFlow.js) to float32 round-off, see adversarial-step.test.ts.
 */
export const adversarial: Method<AdversarialParams> = {
  name: 'adversarial',
  summary: 'Zhang et al. (2018) adversarial debiasing with the gradient projection; the adversary predicts the group from the output (and label).',
  params: adversarialParams,
  paramDocs: {
    lambda: 'α of Zhang et al.: how hard the predictor pushes against the adversary (0 = projection only).',
    form: "'eo': the adversary also sees the label (equalised odds); 'dp': it sees the output only (demographic parity).",
    adversaryLearningRate: 'Learning rate of the adversary\'s own Adam optimiser.',
    adversarySteps: 'Adversary updates per predictor update.',
    adversaryHidden: 'Hidden units of the adversary (0 = logistic regression on its inputs).',
  },
  strength: 'lambda',
  check: (train) => requireTwoGroups('adversarial', train),
  step: (context) => new AdversarialStep(context, (task, adversary) => projectedPredictorDirection(task, adversary, context.params.lambda)),
};

/**
 * Zhang et al.'s predictor direction g_P − proj_{g_A} g_P − α·g_A, with proj_v u = (u·v / ‖v‖²)·v; the projection
 * is taken as zero when g_A = 0. With α = 0 the result is orthogonal to g_A: the predictor cannot help the adversary.
 *
 * The gradients come per variable and are read as one vector, the variables in order. Computed on the host in
 * float32 as TensorFlow.js's wasm kernels compute it from the flattened tensors, operation for operation (each sum
 * one sequential float32 loop from 0, as its Sum kernel), so the bits are the same (adversarial.test.ts checks this
 * against the tensor form), without the ~30 kernel calls and the concat and split copies per batch.
 */
export function projectedPredictorDirection(task: Float32Array[], adversary: Float32Array[], alpha: number): Float32Array[] {
  const f32 = Math.fround;
  // Plain loops: sums updated inside a callback would live in its context, a heap number per addition.
  let normSquared = 0;
  let dot = 0;
  for (let i = 0; i < adversary.length; i++) {
    const a = adversary[i];
    const t = task[i];
    for (let j = 0; j < a.length; j++) {
      normSquared = f32(normSquared + f32(a[j] * a[j]));
      dot = f32(dot + f32(t[j] * a[j]));
    }
  }
  const scale = f32(f32(dot / Math.max(normSquared, f32(1e-30))) + f32(alpha));
  const directions: Float32Array[] = [];
  for (let i = 0; i < task.length; i++) {
    const a = adversary[i];
    const t = task[i];
    const direction = new Float32Array(t.length);
    for (let j = 0; j < t.length; j++) direction[j] = t[j] - f32(scale * a[j]); // stored rounded to float32
    directions.push(direction);
  }
  return directions;
}
