export type BackendName = 'wasm' | 'cpu';
export type BackendPreference = BackendName | 'auto';
/** The folder holding the .wasm binaries that ship inside @tensorflow/tfjs-backend-wasm. */
export declare function defaultWasmDir(): string;
/**
 * Chooses and initialises the TensorFlow.js backend once per process and registers the gradient fixes.
 * Preference: the argument, else env FAIRKIT_BACKEND, else 'auto' (wasm, falling back to cpu with one
 * line on stderr). Later calls return the backend chosen by the first call.
 * `wasmDir` overrides where the .wasm files are looked for (tests use it to provoke the fallback).
 */
export declare function initBackend(preference?: BackendPreference, options?: {
    wasmDir?: string;
}): Promise<BackendName>;
/**
 * Switches the active backend after initBackend (for tests and benchmarks that compare backends).
 * Existing tensors and variables move with it.
 */
export declare function switchBackend(name: BackendName): Promise<void>;
