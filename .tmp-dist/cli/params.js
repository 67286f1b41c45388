import { InvalidArgumentError } from 'commander';
/**
 * Collects repeated `--param key=value` flags into one object. Values that read as JSON (numbers, booleans,
 * arrays) become those; anything else stays a string. The method's schema then checks them.
 */
export function parseParam(raw, previous) {
    const at = raw.indexOf('=');
    if (at <= 0)
        throw new InvalidArgumentError(`--param needs key=value, got '${raw}'.`);
    const key = raw.slice(0, at).trim();
    const text = raw.slice(at + 1).trim();
    let value = text;
    try {
        value = JSON.parse(text);
    }
    catch {
        // not JSON: keep the string
    }
    return { ...previous, [key]: value };
}
//# sourceMappingURL=params.js.map