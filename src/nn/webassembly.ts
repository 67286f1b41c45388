/**
 * The slice of the WebAssembly global that fairkit's own modules use (the fast matMul kernel, the fused step, the
 * cluster adversary's tail): TypeScript's ES2022 lib, without DOM, declares none of it.
 */
export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

export const WebAssemblyGlobal = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** A WebAssembly memory page, in bytes. */
export const WASM_PAGE = 65536;
