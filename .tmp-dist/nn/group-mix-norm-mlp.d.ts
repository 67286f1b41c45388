import { type GroupMixNormSettings, type InferenceMix, type InferenceMode } from './group-mix-norm-unit.js';
import { type Mlp, type MlpArchitecture, type MlpConfig } from './mlp.js';
export declare const PLACEMENTS: readonly ["postActivation", "preActivation"];
export type Placement = (typeof PLACEMENTS)[number];
export interface GroupMixNormMlpArchitecture {
    kind: 'groupmixnorm-mlp';
    base: MlpArchitecture;
    nGroups: number;
    /** Hidden layers (0-based) followed by a GroupMixNorm layer. */
    positions: number[];
    /** After the hidden layer's activation (default) or between its dense map and its activation (as BatchNorm often sits). */
    placement: Placement;
    settings: GroupMixNormSettings;
    /** Only γ and β are trained (the dense weights are frozen), e.g. when debiasing a trained model. */
    freezeBase: boolean;
}
export interface GroupMixNormOptions {
    nGroups: number;
    /** Default: every hidden layer. */
    positions?: number[];
    placement?: Placement;
    settings?: Partial<GroupMixNormSettings>;
    freezeBase?: boolean;
}
export interface GroupMixNormMlp extends Mlp {
    readonly saved: GroupMixNormMlpArchitecture;
    /** Switches how inference normalises rows and what it re-projects onto (see group-mix-norm-unit.ts). */
    setInference(mode: InferenceMode, mix?: InferenceMix): void;
    /**
     * Sets the running statistics of every GroupMixNorm layer to the exact statistics of the given rows ("precise
     * BN"), layer after layer in inference mode; groups without rows keep theirs. Use it after inserting layers into a
     * trained model, or after training when the momentum averages lag behind the final weights.
     */
    calibrate(X: Float32Array, nRows: number, groups: Int32Array, batchSize?: number): void;
}
export declare function isGroupMixNormMlp(model: Mlp): model is GroupMixNormMlp;
/** A fresh model: seeded dense weights as buildMlp(config), GroupMixNorm layers at their initial state. */
export declare function buildGroupMixNormMlp(config: MlpConfig, options: GroupMixNormOptions): GroupMixNormMlp;
/** Inserts GroupMixNorm layers into a trained MLP (its weights are copied; the original model is left as it is). */
export declare function insertGroupMixNorm(trained: Mlp, options: GroupMixNormOptions): GroupMixNormMlp;
/** The model from a saved architecture and arrays in `weights` order (used by loadModel). */
export declare function createGroupMixNormMlp(saved: GroupMixNormMlpArchitecture, arrays: Float32Array[]): GroupMixNormMlp;
