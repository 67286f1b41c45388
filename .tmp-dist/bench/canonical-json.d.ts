/** JSON with object keys sorted at every level, so equal values always give the same text. */
export declare function canonicalJson(value: unknown): string;
/** The first 16 hex digits of the SHA-256 of a value's canonical JSON: a stable content address. */
export declare function stableHash(value: unknown): string;
