/**
 * One bench run per output folder at a time: two runs appending to one journal could record a trial twice.
 * The lock is a file holding the owner's pid; a lock whose process is gone (a killed run) is taken over.
 * Returns the function that releases it.
 */
export declare function acquireRunLock(folder: string): () => void;
