/**
 * FairStream end to end: the deterministic guarantee Σ n_t g_t / N ≤ ε + λ_max/(η_T·N) checked after every batch,
 * the long-run gaps, the single-group extension at batch size 1, exact resumption from JSON, reset and input checks.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { FairStream, type FairStreamOptions } from './fair-stream.js';

interface Batch {
  outputs: Float64Array;
  groups: Int32Array;
}

/** Logits with a planted shift: group g has mean shift·g/(K − 1), noise s.d. 1, batch sizes uniform in [minSize, maxSize]. */
function plantedBatches(seed: number, count: number, { K = 2, shift = 1, minSize = 1, maxSize = 16 } = {}): Batch[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const n = minSize + rng.int(maxSize - minSize + 1);
    const groups = Int32Array.from({ length: n }, () => rng.int(K));
    const outputs = Float64Array.from(groups, (g) => (shift * g) / (K - 1) + rng.normal());
    return { outputs, groups };
  });
}

/** Streams the batches, asserting the bound after each one; returns the stream and the raw pooled gap. */
function runChecked(options: FairStreamOptions, batches: Batch[]): { stream: FairStream; rawPooledGap: number; singleGroupBatches: number } {
  const stream = new FairStream(options);
  const rawSums = new Array<number>(options.groups).fill(0);
  const rawCounts = new Array<number>(options.groups).fill(0);
  let singleGroupBatches = 0;
  batches.forEach(({ outputs, groups }, t) => {
    const adjusted = stream.update(outputs, groups);
    assert.equal(adjusted.length, outputs.length);
    if (options.box) for (const y of adjusted) assert.ok(y >= options.box[0] && y <= options.box[1], `batch ${t}: ${y} outside the box`);
    groups.forEach((g, i) => ((rawSums[g] += outputs[i]), (rawCounts[g] += 1)));
    if (new Set(groups).size === 1) singleGroupBatches++;
    const report = stream.report();
    // The bound is an exact inequality; 1e-12 relative covers the rounding of the running sums.
    assert.ok(report.weightedAverageGap <= report.bound * (1 + 1e-12), `batch ${t}: weighted average gap ${report.weightedAverageGap} > bound ${report.bound}`);
  });
  const rawMeans = rawSums.map((sum, g) => sum / rawCounts[g]);
  return { stream, rawPooledGap: Math.max(...rawMeans) - Math.min(...rawMeans), singleGroupBatches };
}

describe('FairStream: the guarantee', () => {
  const cases: { name: string; options: FairStreamOptions; K: number }[] = [
    { name: 'two groups', options: { epsilon: 0.05, eta0: 0.5, groups: 2 }, K: 2 },
    { name: 'four groups (exact K-group solver)', options: { epsilon: 0.05, eta0: 0.5, groups: 4 }, K: 4 },
    { name: 'two groups with a box [-1, 1.5]', options: { epsilon: 0.05, eta0: 0.5, groups: 2, box: [-1, 1.5] }, K: 2 },
    { name: "two groups, step rule η0/√max(1, count)", options: { epsilon: 0.05, eta0: 0.5, groups: 2, stepRule: 'sqrtMaxCount' }, K: 2 },
  ];
  for (const { name, options, K } of cases) {
    test(`${name}: weighted average gap ≤ bound after each of 4000 batches of 1–16 rows, and ≤ ε + 0.005 at the end`, () => {
      const { stream, rawPooledGap, singleGroupBatches } = runChecked(options, plantedBatches(11 + K, 4000, { K }));
      const report = stream.report();
      console.log(`# ${name}: rows ${report.rows}, λmax ${report.lambdaMax.toFixed(4)}, λ ${report.lambda.toFixed(4)}, weighted average gap ${report.weightedAverageGap.toFixed(5)}, bound ${report.bound.toFixed(5)}, pooled gap ${report.pooledGap.toFixed(5)} (raw ${rawPooledGap.toFixed(3)})`);
      assert.ok(rawPooledGap > 0.9, `the planted shift is missing: raw pooled gap ${rawPooledGap}`);
      assert.ok(singleGroupBatches > 250, `only ${singleGroupBatches} single-group batches`);
      assert.ok(report.lambdaMax > 0, 'λ never moved: the bound would be vacuous');
      assert.ok(report.weightedAverageGap <= options.epsilon + 0.005, `weighted average gap ${report.weightedAverageGap}`);
      // Not bounded by the guarantee (spec §3 (v)): with group shares varying across small batches, equal batch means
      // still leave a pooled gap. It shrinks, but stays above ε here (0.12–0.15 against a raw 1.0).
      assert.ok(report.pooledGap < rawPooledGap / 4, `pooled gap ${report.pooledGap}`);
      assert.ok(report.bound - options.epsilon < 0.02, `bound ${report.bound} is loose`);
    });
  }

  test('batch size 1: every batch has one group, so the per-batch projection cannot act; the extension brings the pooled gap to ε and keeps the spread', () => {
    const options = { epsilon: 0.05, eta0: 0.5, groups: 2 };
    const batches = plantedBatches(21, 20_000, { minSize: 1, maxSize: 1 });
    const stream = new FairStream(options);
    const rawSums = [0, 0];
    const rawCounts = [0, 0];
    const raw: number[][] = [[], []];
    const adjusted: number[][] = [[], []];
    let lateGapSum = 0;
    batches.forEach(({ outputs, groups }, t) => {
      const y = stream.update(outputs, groups)[0];
      const g = groups[0];
      raw[g].push(outputs[0]);
      adjusted[g].push(y);
      rawSums[g] += outputs[0];
      rawCounts[g] += 1;
      const report = stream.report();
      assert.ok(report.weightedAverageGap <= report.bound * (1 + 1e-12), `row ${t}: weighted average gap ${report.weightedAverageGap} > bound ${report.bound}`);
      if (t >= 10_000) lateGapSum += report.pooledGap;
    });
    const report = stream.report();
    const rawPooledGap = Math.abs(rawSums[1] / rawCounts[1] - rawSums[0] / rawCounts[0]);
    const lateGap = lateGapSum / 10_000;
    console.log(`# batch size 1: rows ${report.rows}, λmax ${report.lambdaMax.toFixed(4)}, λ ${report.lambda.toFixed(4)}, weighted average gap ${report.weightedAverageGap.toFixed(5)}, bound ${report.bound.toFixed(5)}, pooled gap ${report.pooledGap.toFixed(5)} (mean over the last 10,000 rows ${lateGap.toFixed(5)}; raw ${rawPooledGap.toFixed(3)})`);
    // The paper returns a one-group batch unchanged, so its pooled gap is the raw one.
    assert.ok(rawPooledGap > 0.9, `raw pooled gap ${rawPooledGap}`);
    // At batch size 1 the weighted average gap is the average of the pooled gap after each row: the guarantee bounds it.
    assert.ok(report.weightedAverageGap <= options.epsilon + 0.005, `weighted average gap ${report.weightedAverageGap}`);
    // The dual's fixed point is a pooled gap of ε (λ grows above it, shrinks below), so the pooled gap oscillates
    // around ε rather than staying under it: over ten other streams of the same model (seeds 20–29), its mean over the last 10,000
    // rows was 0.045–0.054 and its end value 0.022–0.060 (largest value over those rows 0.061–0.091). Hence
    // ε + 0.005 on the mean and ε + 0.02 at the end.
    assert.ok(lateGap <= options.epsilon + 0.005, `mean pooled gap over the last 10,000 rows ${lateGap}`);
    assert.ok(report.pooledGap <= options.epsilon + 0.02, `pooled gap ${report.pooledGap}`);
    // Rows move by group offsets that change slowly, so the spread inside each group survives (the earlier
    // extension, which pulled each row onto the other group's mean, cut it to about a quarter on Adult).
    for (const g of [0, 1]) {
      const ratio = standardDeviation(adjusted[g]) / standardDeviation(raw[g]);
      assert.ok(ratio >= 0.9, `group ${g}: spread of the outputs ${ratio} of the raw spread`);
      const discordant = discordantShare(raw[g], adjusted[g]);
      console.log(`# batch size 1, group ${g}: spread ratio ${ratio.toFixed(4)}, discordant pairs ${discordant.toFixed(4)}`);
      // Two rows can swap only when their raw values differ by less than the change of the offset between their
      // times; measured 0.026 here (a pair drawn at random from a normal sample differs by less than 0.05 with
      // probability ≈ 0.03).
      assert.ok(discordant <= 0.05, `group ${g}: ${discordant} of the pairs change order`);
    }
  });
});

/** Batch-size-1 rows with unequal group shares: group g has mean offsets[g], noise s.d. `noise`. */
function unequalRows(seed: number, count: number, shares: number[], offsets: number[], noise: number): Batch[] {
  const rng = new Rng(seed);
  const total = shares.reduce((a, b) => a + b, 0);
  return Array.from({ length: count }, () => {
    let u = rng.uniform() * total;
    let g = 0;
    while (g < shares.length - 1 && u >= shares[g]) u -= shares[g++];
    return { outputs: Float64Array.of(offsets[g] + noise * rng.normal()), groups: Int32Array.of(g) };
  });
}

describe('FairStream: batch size 1 with many unequal groups (issue 12)', () => {
  // Until stream.json version 4 each one-group batch was pulled toward the point where its own mean closed the
  // largest pooled gap, by up to λ/2; λ overshot while the small groups held few rows and every row within λ/2 of
  // that point was set to it (Adult race at batch 1: AP 44 against erm's 78). Now the shift is the group's anchor
  // plus a penalised step back to the band around the pooled mean: it depends on the state only, never on the row.
  const cases = [
    { K: 3, shares: [1, 1, 1], offsets: [0, 0.5, 1], noise: 1 },
    { K: 5, shares: [60, 20, 10, 7, 3], offsets: [0, -1.4, -0.3, -1.1, 0.8], noise: 3 },
    { K: 10, shares: [40, 20, 10, 8, 6, 5, 4, 3, 2, 2], offsets: [0, -1.4, -0.3, -1.1, 0.8, -2, 0.4, -0.7, 1.2, -1.6], noise: 3 },
  ];
  for (const { K, shares, offsets, noise } of cases) {
    test(`${K} groups (shares ${shares.join('/')}), 9000 rows of one: bound at every step, pooled gap within ε at the end, order inside each group kept (seeds 1–3)`, () => {
      const options = { epsilon: 0.05, eta0: 0.5, groups: K };
      for (const seed of [1, 2, 3]) {
        const rows = unequalRows(seed, 9000, shares, offsets, noise);
        const stream = new FairStream(options);
        const raw: number[][] = Array.from({ length: K }, () => []);
        const adjusted: number[][] = Array.from({ length: K }, () => []);
        rows.forEach(({ outputs, groups }, t) => {
          const y = stream.update(outputs, groups)[0];
          const report = stream.report();
          assert.ok(report.weightedAverageGap <= report.bound * (1 + 1e-12), `seed ${seed}, row ${t}: weighted average gap ${report.weightedAverageGap} > bound ${report.bound}`);
          raw[groups[0]].push(outputs[0]);
          adjusted[groups[0]].push(y);
        });
        const report = stream.report();
        const ratio = Math.min(...raw.map((r, g) => standardDeviation(adjusted[g]) / standardDeviation(r)));
        const byGroup = raw.map((r, g) => discordantShare(r, adjusted[g]));
        const discordant = byGroup.reduce((sum, share, g) => sum + share * raw[g].length, 0) / 9000;
        console.log(`# K ${K}, seed ${seed}: pooled gap ${report.pooledGap.toFixed(4)}, weighted average gap ${report.weightedAverageGap.toFixed(4)} ≤ bound ${report.bound.toFixed(4)}, λmax ${report.lambdaMax.toFixed(2)}, smallest spread ratio ${ratio.toFixed(3)}, discordant pairs inside a group ${discordant.toFixed(4)} (row-weighted; per group ${byGroup.map((x) => x.toFixed(3)).join(' ')})`);
        assert.ok(report.pooledGap <= options.epsilon * MANY_GROUPS.gap, `seed ${seed}: pooled gap ${report.pooledGap}`);
        assert.ok(ratio >= MANY_GROUPS.spread, `seed ${seed}: spread ratio ${ratio}`);
        assert.ok(discordant <= MANY_GROUPS.discordant[K], `seed ${seed}: ${discordant} of the pairs inside a group change order`);
      }
    });
  }
});

/**
 * Limits for the tests above, from the values measured on seeds 1–3 (printed) with a margin: the pooled gap at the end
 * 0.008–0.013 (K = 3), 0.030–0.043 (K = 5), 0.037 and up (K = 10) against ε = 0.05; the spread ratio ≥ 1.004; the
 * row-weighted share of pairs inside a group that change order 0.013–0.017, 0.034–0.042 and 0.060 (the small groups,
 * brought to the pooled mean one row at a time, carry most of it: up to 0.16 in a group of 2 %).
 */
const MANY_GROUPS = { gap: 1, spread: 0.9, discordant: { 3: 0.03, 5: 0.06, 10: 0.09 } as Record<number, number> };

describe('FairStream: the single-group extension by hand', () => {
  const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);

  test('the first four one-group batches: anchor plus a penalised step of at most λ/2 back to the band, λ from the pooled gap', () => {
    const stream = new FairStream({ epsilon: 0.1, eta0: 0.5, groups: 2 });
    // 1. Group 0 alone and no other group seen: unchanged, gap 0, λ = max(0, 0.5·1·(0 − 0.1)) = 0.
    assert.deepEqual(stream.update([2], Int32Array.of(0)), Float64Array.of(2));
    assert.equal(stream.report().lambda, 0);
    // 2. Group 1's first row: no anchor yet (no row of its own), unchanged; pooled gap 2; λ = (0.5/√2)·1·(2 − 0.1).
    assert.deepEqual(stream.update([0], Int32Array.of(1)), Float64Array.of(0));
    const lambda2 = (0.5 / Math.SQRT2) * 1.9;
    close(stream.report().lambda, lambda2, 'λ after batch 2');
    // 3. Group 0 again, r = 3. Pooled mean T = 1, group 0's raw mean 2 and adjusted mean 2: anchor T − 2 = −1;
    //    it is 1 − 0.05 outside the band T ± ε/2, so w = (1/1)·(−0.95), beyond λ/2 ≈ 0.67: the step is −λ/2.
    const [y3] = stream.update([3], Int32Array.of(0));
    close(y3, 3 - 1 - lambda2 / 2, 'row of batch 3');
    const gap3 = (2 + 2 - lambda2 / 2) / 2;
    close(stream.report().pooledGap, gap3, 'pooled gap after batch 3');
    const lambda3 = lambda2 + (0.5 / Math.sqrt(3)) * 1 * (gap3 - 0.1);
    close(stream.report().lambda, lambda3, 'λ after batch 3');
    // 4. Two rows of group 1 (raw mean 0, adjusted mean 0). T = (4 − λ2/2)/3; anchor T − 0 = T; w = (1/2)·(T − 0.05)
    //    (inside λ3/2 ≈ 0.78, so taken whole); both rows move by T + w, a block: their difference stays 2.
    const T = (4 - lambda2 / 2) / 3;
    const shift = T + (T - 0.05) / 2;
    assert.ok(Math.abs(T - 0.05) / 2 < lambda3 / 2, 'the step is not clipped');
    const y4 = stream.update([1, -1], Int32Array.of(1, 1));
    close(y4[0], 1 + shift, 'row 0 of batch 4');
    close(y4[1], -1 + shift, 'row 1 of batch 4');
    const gap4 = gap3 - (2 * shift) / 3;
    close(stream.report().pooledGap, Math.abs(gap4), 'pooled gap after batch 4');
    close(stream.report().lambda, Math.max(0, lambda3 + (0.5 / 2) * 2 * (Math.abs(gap4) - 0.1)), 'λ after batch 4');
    close(stream.report().weightedAverageGap, (0 + 2 + gap3 + 2 * Math.abs(gap4)) / 5, 'weighted average gap');
  });

  test('the shift depends on the state only: two rows scored from the same state get the same shift, whatever λ (no ties)', () => {
    for (const epsilon of [1, 4]) {
      const stream = new FairStream({ epsilon, eta0: 5, groups: 2 });
      stream.update([3], Int32Array.of(0));
      stream.update([-3], Int32Array.of(1)); // pooled gap 6
      stream.update([0, 0], Int32Array.of(0, 1));
      const s = stream.snapshot();
      const T = (s.groupSums[0] + s.groupSums[1]) / (s.groupCounts[0] + s.groupCounts[1]);
      const distance = T - s.groupSums[0] / s.groupCounts[0];
      const outside = Math.max(0, Math.abs(distance) - epsilon / 2);
      const w = s.groupCounts[0] * Math.sign(distance) * outside;
      const shift = T - s.groupRawSums[0] / s.groupCounts[0] + Math.max(-s.lambda / 2, Math.min(s.lambda / 2, w));
      if (epsilon === 1) assert.ok(s.lambda > 5 && outside > 0, `λ ${s.lambda}: outside the band, a large λ`);
      else assert.ok(outside === 0, 'inside the band: the anchor alone');
      const [low] = FairStream.fromJSON(stream.toJSON()).update([-2], Int32Array.of(0));
      const [high] = FairStream.fromJSON(stream.toJSON()).update([2], Int32Array.of(0));
      close(low, -2 + shift, `ε ${epsilon}: low row`);
      close(high, 2 + shift, `ε ${epsilon}: high row`);
    }
  });

  test('three groups: the small group is brought to the pooled mean, the large one keeps its place', () => {
    const stream = new FairStream({ epsilon: 0, eta0: 1, groups: 3 });
    stream.update([0, 0, 0, 1], Int32Array.of(0, 0, 0, 1)); // λ = 0: unchanged; gap 1; λ = 1·4·1 = 4
    stream.update([4], Int32Array.of(2)); // group 2's first row: unchanged
    const s = stream.snapshot();
    const T = s.groupSums.reduce((a, b) => a + b, 0) / 5; // (0 + 1 + 4)/5 = 1
    close(T, 1, 'pooled mean');
    // Group 2 again (raw mean 4, adjusted mean 4): anchor 1 − 4 = −3 and w = (1/1)·(1 − 4) = −3, within λ/2
    // (λ = 4 + (1/√2)·4 after the gap of 4): the row moves by −6.
    close(s.lambda, 4 + 4 * Math.SQRT1_2, 'λ');
    const [y] = stream.update([5], Int32Array.of(2));
    close(y, 5 - 6, 'row of group 2');
    // Group 0 (3 rows at 0, raw and adjusted): the pooled mean is now T2 = (1 + 4 + y)/6, its anchor T2 − 0, and
    // w = (3/1)·(T2 − 0) since ε = 0; the step is w clipped to λ/2 with the λ after the last row.
    const T2 = (1 + 4 + y) / 6;
    const lambdaNow = stream.report().lambda;
    const [z] = stream.update([0.25], Int32Array.of(0));
    close(z, 0.25 + T2 + Math.max(-lambdaNow / 2, Math.min(lambdaNow / 2, 3 * T2)), 'row of group 0');
  });

  test('a one-group batch moves as a block: every row gets the same shift, so its order is kept exactly', () => {
    const stream = new FairStream({ epsilon: 0.05, eta0: 0.5, groups: 3 });
    for (const { outputs, groups } of plantedBatches(5, 300, { K: 3, minSize: 1, maxSize: 4 })) stream.update(outputs, groups);
    assert.ok(stream.report().lambda > 0);
    const rng = new Rng(9);
    const r = Float64Array.from({ length: 16 }, () => 3 * rng.normal());
    const y = stream.update(r, new Int32Array(16).fill(2));
    const shift = y[0] - r[0];
    assert.ok(Math.abs(shift) > 1e-3, `shift ${shift}`);
    for (let i = 1; i < 16; i++) close(y[i] - r[i], shift, `shift of row ${i}`);
  });
});

function standardDeviation(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
}

/** Share of pairs (i < j, every 7th i against every j, to stay fast) whose order differs between raw and adjusted. */
function discordantShare(raw: number[], adjusted: number[]): number {
  let pairs = 0;
  let discordant = 0;
  for (let i = 0; i < raw.length; i += 7) {
    for (let j = i + 1; j < raw.length; j++) {
      pairs++;
      if ((raw[i] - raw[j]) * (adjusted[i] - adjusted[j]) < 0) discordant++;
    }
  }
  return discordant / pairs;
}

describe('FairStream: state', () => {
  const options: FairStreamOptions = { epsilon: 0.02, eta0: 0.1, groups: 3 };
  const batches = plantedBatches(31, 3000, { K: 3, shift: 2 });

  test('a stream saved to JSON text mid-way and resumed gives bit-identical outputs and report', () => {
    const uninterrupted = new FairStream(options);
    const expected = batches.map((b) => uninterrupted.update(b.outputs, b.groups));
    let stream = new FairStream(options);
    const outputs: Float64Array[] = [];
    batches.forEach((b, t) => {
      if (t === 1234 || t === 2999) stream = FairStream.fromJSON(JSON.stringify(stream));
      outputs.push(stream.update(b.outputs, b.groups));
    });
    for (let t = 0; t < batches.length; t++) {
      for (let i = 0; i < outputs[t].length; i++) assert.ok(Object.is(outputs[t][i], expected[t][i]), `batch ${t} row ${i}: ${outputs[t][i]} vs ${expected[t][i]}`);
    }
    assert.deepEqual(stream.report(), uninterrupted.report());
    assert.ok(stream.report().lambda > 0);
  });

  test('toJSON keeps the options (box, step rule) and fromJSON accepts the object form', () => {
    const boxed = new FairStream({ epsilon: 0.1, eta0: 0.3, groups: 2, box: [0, 3.5], stepRule: 'sqrtMaxCount' });
    boxed.update([0.5, 3, 4], Int32Array.of(0, 1, 1));
    const json = boxed.toJSON();
    assert.deepEqual(json.options, { epsilon: 0.1, eta0: 0.3, groups: 2, box: [0, 3.5], stepRule: 'sqrtMaxCount' });
    const resumed = FairStream.fromJSON(json);
    assert.deepEqual(resumed.toJSON(), json);
    assert.deepEqual(resumed.update([1, 2], Int32Array.of(0, 1)), boxed.update([1, 2], Int32Array.of(0, 1)));
  });

  test('fromJSON rejects other formats, versions and inconsistent state with a FairkitError', () => {
    const good = new FairStream(options).toJSON();
    const bad: unknown[] = [
      { ...good, version: 5 },
      { ...good, state: { ...good.state, groupRawSums: [0, 0] } },
      { ...good, format: 'other' },
      { ...good, state: { ...good.state, groupSums: [0, 0] } },
      { ...good, state: { ...good.state, lambda: -1 } },
      { ...good, state: { ...good.state, lambda: 2, lambdaMax: 1 } },
      '{"format":"fairkit-stream"}',
      '{not json',
      null,
    ];
    for (const json of bad) assert.throws(() => FairStream.fromJSON(json), FairkitError, JSON.stringify(json));
  });

  test('version-1, -2 and -3 streams (earlier single-group rules, no raw sums) are refused, saying how to start afresh', () => {
    for (const version of [1, 2, 3]) {
      const old = { ...new FairStream(options).toJSON(), version };
      assert.throws(() => FairStream.fromJSON(JSON.stringify(old)), (error: unknown) => error instanceof FairkitError && new RegExp(`version ${version}`).test(error.message) && /reset-stream/.test(String(error.fix)));
    }
  });

  test('reset() returns to λ = 0 and no rows: the next pass repeats the first exactly', () => {
    const stream = new FairStream(options);
    const first = batches.slice(0, 500).map((b) => stream.update(b.outputs, b.groups));
    assert.ok(stream.report().lambda > 0);
    stream.reset();
    assert.deepEqual(stream.report(), new FairStream(options).report());
    const second = batches.slice(0, 500).map((b) => stream.update(b.outputs, b.groups));
    assert.deepEqual(second, first);
  });

  test('report before any row: no gap, an infinite bound', () => {
    assert.deepEqual(new FairStream(options).report(), { rows: 0, batches: 0, lambda: 0, lambdaMax: 0, weightedAverageGap: 0, pooledGap: 0, bound: Infinity });
  });

  test('the first batch is the paper step by hand: λ = 0 leaves it alone, then λ = η0·n·(gap − ε)', () => {
    const stream = new FairStream({ epsilon: 0.1, eta0: 0.5, groups: 2 });
    assert.deepEqual(stream.update([1, 3, 0, 0], Int32Array.of(0, 0, 1, 1)), Float64Array.of(1, 3, 0, 0));
    assert.equal(stream.report().lambda, 0.5 * 4 * (2 - 0.1));
    // Second batch: μ = λ·n = 3.8·4, k = 1, so the gap 2 shrinks by 7.6 → 0; step η0/√2.
    assert.deepEqual(stream.update([1, 3, 0, 0], Int32Array.of(0, 0, 1, 1)), Float64Array.of(0, 2, 1, 1));
    assert.equal(stream.report().lambda, Math.max(0, 3.8 + (0.5 / Math.SQRT2) * 4 * (0 - 0.1)));
    assert.equal(stream.report().weightedAverageGap, (4 * 2 + 4 * 0) / 8);
  });

  test('invalid options and batches are FairkitErrors naming the problem', () => {
    assert.throws(() => new FairStream({ epsilon: -1, eta0: 0.1, groups: 2 }), /epsilon/);
    assert.throws(() => new FairStream({ epsilon: 0.1, eta0: 0, groups: 2 }), /eta0/);
    assert.throws(() => new FairStream({ epsilon: 0.1, eta0: 0.1, groups: 1 }), /groups/);
    assert.throws(() => new FairStream({ epsilon: 0.1, eta0: 0.1, groups: 3, box: [0, 1] }), /box is supported with 2 groups/);
    assert.throws(() => new FairStream({ epsilon: 0.1, eta0: 0.1, groups: 2, box: [1, 0] }), /box/);
    const stream = new FairStream(options);
    assert.throws(() => stream.update([], new Int32Array(0)), /empty batch/);
    assert.throws(() => stream.update([1, 2], Int32Array.of(0)), /2 outputs but 1 group ids/);
    assert.throws(() => stream.update([1], Int32Array.of(3)), /group id 3 at row 0/);
    assert.throws(() => stream.update([Number.NaN], Int32Array.of(0)), /not finite/);
    assert.equal(stream.report().batches, 0, 'a rejected batch must not change the state');
  });
});
