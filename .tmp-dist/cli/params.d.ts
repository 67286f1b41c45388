/**
 * Collects repeated `--param key=value` flags into one object. Values that read as JSON (numbers, booleans,
 * arrays) become those; anything else stays a string. The method's schema then checks them.
 */
export declare function parseParam(raw: string, previous: Record<string, unknown>): Record<string, unknown>;
