/** Writes a file whole or not at all: a temporary file beside it, renamed into place. */
export declare function writeFileAtomic(path: string, data: string | Uint8Array): void;
/** Creates a folder (and parents) and checks it is writable, so a long run fails before it starts, not after. */
export declare function ensureWritableFolder(path: string, option: string): void;
