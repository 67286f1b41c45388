import { type Mlp } from './mlp.js';
/**
 * A fitted model on disk is a folder with two files, written without tfjs-node:
 * - model.json: format tag, architecture (kind 'mlp', or 'groupmixnorm-mlp' for an MLP with GroupMixNorm layers,
 *   whose running statistics are saved among the weights), weight manifest (name, shape, offset), the SHA-256 and size of
 *   weights.bin, method name, parameters, encoder JSON and any extra JSON of the method;
 * - weights.bin: every weight as float32 little-endian, concatenated in manifest order.
 * Each file is written under a temporary name in the same folder and renamed into place, weights.bin
 * first; the hash in model.json makes a loader reject a weights.bin from another save.
 */
export declare const MODEL_FILE = "model.json";
export declare const WEIGHTS_FILE = "weights.bin";
export interface SavedModelContents {
    model: Mlp;
    encoder: unknown;
    method: string;
    params: Record<string, unknown>;
    extra?: unknown;
}
export declare function saveModel(dir: string, contents: SavedModelContents): Promise<void>;
export declare function loadModel(dir: string): Promise<SavedModelContents>;
