/**
 * Rows sorted by descending float64 score: an LSD radix sort on the IEEE-754 bits that carries each row's
 * code (and weight, and row index when asked) along. Carrying beats sorting an index and gathering afterwards:
 * ten million random reads cost about as much as the whole sort. Passes whose byte is the same for every
 * score (common: float32-derived probabilities share their low bits) are skipped.
 */
// Byte digits: measured faster than 11- or 16-bit digits, whose scatter misses the cache more often.
const DIGIT_BITS = 8;
const BUCKETS = 1 << DIGIT_BITS;
const DIGIT_MASK = BUCKETS - 1;
const DIGITS_PER_HALF = 32 / DIGIT_BITS;
const PASSES = 2 * DIGITS_PER_HALF;
export function sortByScoreDescending(scores, codes, weights, withRows) {
    const n = scores.length;
    const counts = new Uint32Array(PASSES * BUCKETS);
    let keys = toDescendingKeys(scores, counts);
    let keysNext = new Uint32Array(2 * n);
    const allocate = () => ({
        codes: new Int32Array(n),
        weights: weights === null ? null : new Float64Array(n),
        rows: withRows ? new Int32Array(n) : null,
    });
    // The first pass reads the caller's arrays; later passes alternate between two buffers of our own.
    const input = { codes, weights, rows: withRows ? identity(n) : null };
    let from = input;
    let to = allocate();
    let spare = null;
    for (let pass = 0; pass < PASSES; pass++) {
        const offsets = counts.subarray(pass * BUCKETS, (pass + 1) * BUCKETS);
        if (isSingleBucket(offsets, n))
            continue;
        toStartOffsets(offsets);
        // Keys are interleaved (low word, high word); pass p reads byte p % 4 of word ⌊p / 4⌋.
        const word = pass < DIGITS_PER_HALF ? 0 : 1;
        const shift = (pass % DIGITS_PER_HALF) * DIGIT_BITS;
        scatter(word, shift, offsets, keys, from, keysNext, to);
        [keys, keysNext] = [keysNext, keys];
        const next = from === input ? (spare ??= allocate()) : from;
        from = to;
        to = next;
    }
    if (from === input)
        from = { codes: codes.slice(), weights: weights?.slice() ?? null, rows: input.rows };
    return { scores: fromDescendingKeys(keys), ...from };
}
/** One stable counting-sort pass on one byte of the key, moving the key and its payload. */
function scatter(word, shift, offsets, keys, payload, keysOut, payloadOut) {
    const { codes, weights, rows } = payload;
    const codesOut = payloadOut.codes;
    const weightsOut = payloadOut.weights;
    const rowsOut = payloadOut.rows;
    const n = codes.length;
    for (let i = 0; i < n; i++) {
        const low = keys[2 * i];
        const high = keys[2 * i + 1];
        const to = offsets[((word === 0 ? low : high) >>> shift) & DIGIT_MASK]++;
        keysOut[2 * to] = low;
        keysOut[2 * to + 1] = high;
        codesOut[to] = codes[i];
        if (weights !== null)
            weightsOut[to] = weights[i];
        if (rows !== null)
            rowsOut[to] = rows[i];
    }
}
/**
 * 64-bit keys (low word, high word) whose ascending unsigned order is the descending order of the scores:
 * negative doubles keep their bits, non-negative ones have all bits but the sign flipped. Fills `counts`.
 */
function toDescendingKeys(scores, counts) {
    const bits = new Uint32Array(scores.buffer, scores.byteOffset, scores.length * 2);
    const keys = new Uint32Array(bits.length);
    for (let i = 0; i < bits.length; i += 2) {
        let l = bits[i];
        let h = bits[i + 1];
        if ((h & 0x80000000) === 0) {
            l = ~l >>> 0;
            h = ~h & 0x7fffffff;
        }
        keys[i] = l;
        keys[i + 1] = h;
        // Histograms of all eight bytes, taken in the same read.
        counts[l & 255]++;
        counts[256 + ((l >>> 8) & 255)]++;
        counts[512 + ((l >>> 16) & 255)]++;
        counts[768 + (l >>> 24)]++;
        counts[1024 + (h & 255)]++;
        counts[1280 + ((h >>> 8) & 255)]++;
        counts[1536 + ((h >>> 16) & 255)]++;
        counts[1792 + (h >>> 24)]++;
    }
    return keys;
}
/** Inverse of toDescendingKeys (the key transform is its own inverse on each half of the order). */
function fromDescendingKeys(keys) {
    const scores = new Float64Array(keys.length / 2);
    const bits = new Uint32Array(scores.buffer);
    for (let i = 0; i < keys.length; i += 2) {
        const high = keys[i + 1];
        if (high & 0x80000000) {
            bits[i] = keys[i];
            bits[i + 1] = high;
        }
        else {
            bits[i] = ~keys[i];
            bits[i + 1] = ~high & 0x7fffffff;
        }
    }
    return scores;
}
function identity(n) {
    const rows = new Int32Array(n);
    for (let i = 0; i < n; i++)
        rows[i] = i;
    return rows;
}
function isSingleBucket(counts, n) {
    for (let b = 0; b < counts.length; b++)
        if (counts[b] !== 0)
            return counts[b] === n;
    return true;
}
function toStartOffsets(counts) {
    let sum = 0;
    for (let b = 0; b < counts.length; b++) {
        const c = counts[b];
        counts[b] = sum;
        sum += c;
    }
}
//# sourceMappingURL=sort-scores.js.map