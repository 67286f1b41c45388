import { type GroupMixNormSettings } from './group-mix-norm-unit.js';
import type { Mlp } from './mlp.js';
export interface PatchCnnConfig {
    height: number;
    width: number;
    channels: number;
    /** Conv blocks in order: patch size p (kernel = stride = p) and number of filters. */
    blocks: {
        patch: number;
        filters: number;
    }[];
    seed: number;
    /** GroupMixNorm after the ReLU of the listed blocks (default: every block). */
    groupMixNorm?: {
        nGroups: number;
        blocks?: number[];
        settings?: Partial<GroupMixNormSettings>;
    };
}
export interface PatchCnnArchitecture extends PatchCnnConfig {
    kind: 'patch-cnn';
    inputDim: number;
    outputDim: 1;
}
export declare function buildPatchCnn(config: PatchCnnConfig): Mlp;
