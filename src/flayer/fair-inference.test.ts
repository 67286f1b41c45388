import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { FairStream } from '../stream/fair-stream.js';
import { projectEcpHost } from './ecp-host.js';
import { fairInference, largestGap } from './fair-inference.js';
import marginalJson from './fixtures/flayer_marginal.json' with { type: 'json' };

/** SciPy's projections (scripts/fixtures/flayer_marginal.py): combined ids of a 2-valued A and a 3-valued B. */
const marginalCases = (marginalJson as unknown as { cases: { name: string; constraint: string; r: number[]; groups: number[]; epsilon: number; y: number[] }[] }).cases;
/** Combined group g = 3·a + b, as the fixture script numbers them. */
const MARGINAL = [{ valueOf: [0, 0, 0, 1, 1, 1], nValues: 2 }, { valueOf: [0, 1, 2, 0, 1, 2], nValues: 3 }];

/** A seeded stream of raw logits with a planted gap of 1 between group 1 and group 0 (mulberry32 uniforms). */
function plantedRows(n: number, seed: number): { raw: Float64Array; groups: Int32Array } {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const groups = Int32Array.from({ length: n }, () => (uniform() < 0.3 ? 1 : 0));
  const raw = Float64Array.from(groups, (g) => g + 2 * uniform() - 1);
  return { raw, groups };
}

describe('fairInference', () => {
  test('a batch of at least b_τ rows is projected exactly: the closed form by hand', () => {
    // Means 0.5 and 2.5, d = −2, ε = 0.5: δ = d + ε = −1.5; G0 moves by −δ·n1/n = +0.75, G1 by δ·n0/n = −0.75.
    const result = fairInference([0, 1, 2, 3], Int32Array.of(0, 0, 1, 1), { batchSize: 4, epsilon: 0.5, groups: 2, threshold: 4 });
    assert.deepEqual([...result.outputs], [0.75, 1.75, 1.25, 2.25]);
    assert.deepEqual([result.exactBatches, result.streamedBatches, result.weightedAverageGap, result.pooledGap], [1, 0, 0.5, 0.5]);
    assert.equal(result.stream, undefined, 'no batch below b_τ: no stream');
  });

  test('a batch below b_τ goes through the stream: λ, the soft threshold and the bound by hand', () => {
    // Batch 1 ([0, 1], λ = 0): unchanged, gap 1; λ ← 0.5·2·(1 − 0.1) = 0.9 (η = 0.5/√max(1, 0)).
    // Batch 2 ([0, 1]): λ·n·k/2 = 0.9·2·2/2 = 1.8 ≥ 1, so the gap closes: both at 0.5; λ ← 0.9 + 0.5·2·(0 − 0.1) = 0.8.
    const result = fairInference([0, 1, 0, 1], Int32Array.of(0, 1, 0, 1), { batchSize: 2, epsilon: 0.1, groups: 2 });
    assert.deepEqual([...result.outputs], [0, 1, 0.5, 0.5]);
    assert.deepEqual([result.exactBatches, result.streamedBatches, result.weightedAverageGap], [0, 2, 0.5]);
    const report = result.streamReport!;
    assert.ok(Math.abs(report.lambda - 0.8) < 1e-15 && report.lambdaMax === 0.9, `λ ${report.lambda}, λ_max ${report.lambdaMax}`);
    // ε + λ_max/(η_T·N) = 0.1 + 0.9/(0.5·4) = 0.55 ≥ the weighted average 0.5.
    assert.ok(Math.abs(report.bound - 0.55) < 1e-15, `bound ${report.bound}`);
  });

  test('mixed batch sizes: full batches exact (as projectEcpHost, each within ε), the short tail streamed', () => {
    const { raw, groups } = plantedRows(250, 1);
    const result = fairInference(raw, groups, { batchSize: 120, epsilon: 0.05, groups: 2, threshold: 100 });
    assert.deepEqual([result.exactBatches, result.streamedBatches], [2, 1]);
    for (const start of [0, 120]) {
      const expected = projectEcpHost(raw.subarray(start, start + 120), groups.subarray(start, start + 120), 2, 0.05).y;
      assert.deepEqual([...result.outputs.subarray(start, start + 120)], [...expected]);
      assert.ok(largestGap(expected, groups.subarray(start, start + 120), 2) <= 0.05 + 1e-12);
    }
    // The tail of 10 rows is the first batch of a new stream: λ = 0, unchanged.
    assert.deepEqual([...result.outputs.subarray(240)], [...raw.subarray(240)]);
    assert.equal(result.streamReport!.rows, 10);
  });

  test('small batches give the same outputs and report as a FairStream fed batch by batch; rows in no group are never moved', () => {
    const { raw, groups } = plantedRows(500, 2);
    for (let i = 0; i < groups.length; i += 7) groups[i] = -1;
    const result = fairInference(raw, groups, { batchSize: 5, epsilon: 0.05, groups: 2 });
    const stream = new FairStream({ epsilon: 0.05, eta0: 0.5, groups: 2, stepRule: 'sqrtMaxCount' });
    const expected = Float64Array.from(raw);
    for (let start = 0; start < raw.length; start += 5) {
      const rows = [...Array(5).keys()].map((j) => start + j).filter((i) => groups[i] >= 0);
      const adjusted = stream.update(Float64Array.from(rows, (i) => raw[i]), Int32Array.from(rows, (i) => groups[i]));
      rows.forEach((i, j) => (expected[i] = adjusted[j]));
    }
    assert.deepEqual([...result.outputs], [...expected]);
    assert.deepEqual(result.streamReport, stream.report());
    for (let i = 0; i < groups.length; i += 7) assert.equal(result.outputs[i], raw[i]);
    assert.ok(Math.abs(result.weightedAverageGap - stream.report().weightedAverageGap) < 1e-12);
    assert.ok(result.weightedAverageGap <= result.streamReport!.bound);
  });

  test('a stream passed back in continues: two calls give what one call gives', () => {
    const { raw, groups } = plantedRows(20000, 3);
    const whole = fairInference(raw, groups, { batchSize: 1, epsilon: 0.05, groups: 2 });
    const first = fairInference(raw.subarray(0, 5000), groups.subarray(0, 5000), { batchSize: 1, epsilon: 0.05, groups: 2 });
    const resumed = FairStream.fromJSON(JSON.stringify(first.stream));
    const second = fairInference(raw.subarray(5000), groups.subarray(5000), { batchSize: 1, epsilon: 0.05, groups: 2, stream: resumed });
    assert.deepEqual([...first.outputs, ...second.outputs], [...whole.outputs]);
    assert.deepEqual(second.streamReport, whole.streamReport);
    // Batch size 1: every batch has one group, so only fairkit's extension acts (each row moves by a group offset
    // toward closing the pooled gap). The dual's fixed point is a pooled gap of ε, around which it oscillates: the end
    // value was 0.022–0.060 over ten planted streams of 20,000 rows (src/stream/fair-stream.test.ts) and 0.0645
    // here; the average over the stream, which the guarantee bounds, is within ε + 0.005.
    assert.ok(largestGap(raw, groups, 2) > 0.9);
    assert.ok(whole.pooledGap <= 0.05 + 0.02, `pooled gap ${whole.pooledGap}`);
    assert.ok(whole.streamReport!.weightedAverageGap <= 0.05 + 0.005, `weighted average gap ${whole.streamReport!.weightedAverageGap}`);
    assert.ok(whole.weightedAverageGap <= whole.streamReport!.bound);
  });

  test('marginal constraints: an exact batch is the marginal projection (SciPy), the stream keeps the combined groups', () => {
    for (const c of marginalCases.filter((x) => x.constraint === 'marginal')) {
      const groups = Int32Array.from(c.groups);
      const result = fairInference(c.r, groups, { batchSize: c.r.length, epsilon: c.epsilon, groups: 6, threshold: c.r.length, marginal: MARGINAL });
      const worst = Math.max(...c.y.map((y, i) => Math.abs(y - result.outputs[i])));
      assert.ok(worst < 1e-9, `${c.name}: ${worst} from SciPy's marginal projection`);
      assert.equal(result.exactBatches, 1);
    }
    // The 'marginal' case leaves a combined-group gap above ε, which the intersectional projection would close.
    const c = marginalCases.find((x) => x.name === 'marginal')!;
    const groups = Int32Array.from(c.groups);
    const marginal = fairInference(c.r, groups, { batchSize: c.r.length, epsilon: c.epsilon, groups: 6, threshold: c.r.length, marginal: MARGINAL });
    assert.ok(marginal.pooledGap > 2 * c.epsilon, `combined gap ${marginal.pooledGap}`);
    // Below b_τ: the stream over the combined groups, the same as without the marginal constraints.
    const streamed = fairInference(c.r, groups, { batchSize: 4, epsilon: c.epsilon, groups: 6, marginal: MARGINAL });
    const plain = fairInference(c.r, groups, { batchSize: 4, epsilon: c.epsilon, groups: 6 });
    assert.deepEqual([...streamed.outputs], [...plain.outputs]);
    assert.throws(() => fairInference(c.r, groups, { batchSize: 4, epsilon: c.epsilon, groups: 6, marginal: [{ valueOf: [0, 0, 1], nValues: 2 }] }), (e: unknown) => e instanceof FairkitError && /marginal attribute 0 needs a value index in \[0, 2\) for each of the 6 groups/.test(e.message));
  });

  test('bad input is refused with a clear error', () => {
    const base = { epsilon: 0.1, groups: 2 };
    const refuses = (run: () => unknown, pattern: RegExp) => assert.throws(run, (error: unknown) => error instanceof FairkitError && pattern.test(error.message));
    refuses(() => fairInference([1], Int32Array.of(0), { ...base, batchSize: 0 }), /batch size must be a positive integer, got 0/);
    refuses(() => fairInference([1, Number.NaN], Int32Array.of(0, 1), { ...base, batchSize: 1 }), /output NaN at row 1 is not finite/);
    refuses(() => fairInference([1, 2], Int32Array.of(0), { ...base, batchSize: 1 }), /2 outputs but 1 group ids/);
    refuses(() => fairInference([1], Int32Array.of(0), { ...base, batchSize: 1, stream: new FairStream({ epsilon: 0.2, eta0: 0.5, groups: 2 }) }), /the stream has epsilon 0.2/);
    refuses(() => fairInference([1], Int32Array.of(0), { ...base, batchSize: 1, threshold: 0 }), /b_τ must be a positive integer/);
  });
});
