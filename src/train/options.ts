import { z } from 'zod';
import { ACTIVATIONS } from '../nn/mlp.js';
import { scheduleSchema } from './schedules.js';

/** Everything the loop needs besides the method: model shape, optimiser, batching, seeding, reporting. */
export const trainingOptionsSchema = z
  .object({
    epochs: z.number().int().positive().default(20),
    batchSize: z.number().int().positive().default(2000),
    learningRate: z.number().positive().default(1e-3),
    optimizer: z.enum(['adam', 'sgd']).default('adam'),
    /** SGD momentum (ignored by Adam). */
    momentum: z.number().min(0).max(1).default(0),
    schedule: scheduleSchema.default({ kind: 'constant' }),
    hidden: z.array(z.number().int().positive()).default([200]),
    activation: z.enum(ACTIVATIONS).default('relu'),
    dropout: z.number().min(0).lt(1).default(0),
    seed: z.number().int().default(0),
    /**
     * Stop when a validation metric has not improved for `patience` epochs; the best epoch's weights are kept.
     * `mode` defaults to the metric's registered direction (early-stopping.ts, defaultMode).
     */
    earlyStopping: z
      .object({ metric: z.string(), patience: z.number().int().positive(), mode: z.enum(['max', 'min']).optional() })
      .optional(),
    progress: z.enum(['auto', 'bar', 'jsonl', 'silent']).default('auto'),
    /** The task loss of regression (on standardised targets); classification always uses binary cross-entropy. */
    regressionLoss: z.enum(['mse', 'huber']).default('mse'),
    /** Huber's δ, in standard deviations of the training targets. */
    huberDelta: z.number().positive().default(1),
    /**
     * Forward, backward and Adam in one WebAssembly pass for plain first-order ERM-like runs on a ReLU MLP (see
     * fused-update.ts); default: on when FAIRKIT_FUSED_STEP=1. Runs it cannot serve train as without it.
     */
    fusedStep: z.boolean().optional(),
  })
  .strict();

export type TrainingOptions = z.infer<typeof trainingOptionsSchema>;
export type TrainingOptionsInput = z.input<typeof trainingOptionsSchema>;
