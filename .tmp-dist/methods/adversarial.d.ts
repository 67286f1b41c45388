import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { FairnessMethod } from './method.js';
export declare const adversarialParams: z.ZodObject<{
    lambda: z.ZodDefault<z.ZodNumber>;
    form: z.ZodDefault<z.ZodEnum<{
        eo: "eo";
        dp: "dp";
    }>>;
    adversaryLearningRate: z.ZodDefault<z.ZodNumber>;
    adversarySteps: z.ZodDefault<z.ZodNumber>;
    adversaryHidden: z.ZodDefault<z.ZodNumber>;
}, z.core.$strict>;
export type AdversarialParams = z.infer<typeof adversarialParams>;
/**
 * Adversarial debiasing (Zhang, Lemoine & Mitchell 2018; methods.md §6). An adversary predicts the group from
 * s = σ((1+|c|)·z) (dp) or from [s, s·y, s·(1−y), y] (eo; y lets it model P(A | Y)). Per batch it takes
 * `adversarySteps` Adam steps on its own loss; then the predictor takes one step along
 * ∇L_P − proj_{∇L_A} ∇L_P − λ·∇L_A, computed on the gradient flattened over all predictor weights.
 */
export declare const adversarial: FairnessMethod<AdversarialParams>;
/**
 * Zhang et al.'s predictor direction g_P − proj_{g_A} g_P − α·g_A, with proj_v u = (u·v / ‖v‖²)·v; the projection
 * is taken as zero when g_A = 0. With α = 0 the result is orthogonal to g_A: the predictor cannot help the adversary.
 */
export declare function projectedPredictorGradient(gradTask: tf.Tensor1D, gradAdversary: tf.Tensor1D, alpha: number): tf.Tensor1D;
