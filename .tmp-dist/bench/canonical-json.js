import { createHash } from 'node:crypto';
/** JSON with object keys sorted at every level, so equal values always give the same text. */
export function canonicalJson(value) {
    return JSON.stringify(sortKeys(value));
}
/** The first 16 hex digits of the SHA-256 of a value's canonical JSON: a stable content address. */
export function stableHash(value) {
    return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}
function sortKeys(value) {
    if (Array.isArray(value))
        return value.map(sortKeys);
    if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.keys(value)
            .sort()
            .filter((key) => value[key] !== undefined)
            .map((key) => [key, sortKeys(value[key])]));
    }
    return value;
}
//# sourceMappingURL=canonical-json.js.map