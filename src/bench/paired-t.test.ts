import assert from 'node:assert/strict';
import { test } from 'node:test';
import reference from './fixtures/paired-t.json' with { type: 'json' };
import { pairedDifference } from './stats.js';
import { studentTCdf, studentTQuantile } from './student-t.js';

const byRun = (values: (number | null)[]) => new Map(values.map((value, run) => [String(run), value]));

test('studentTQuantile agrees with scipy.stats.t.ppf to 1e-8 relative, df 1 to 1000, both tails', () => {
  // 1e-8, not tighter: Debian's scipy 1.10 is itself 1e-9 off at p = 0.9995, df 1 (the Cauchy closed form below).
  for (const { p, df, t } of reference.quantiles) {
    const got = studentTQuantile(p, df);
    assert.ok(Math.abs(got - t) <= 1e-8 * Math.max(1, Math.abs(t)), `p=${p} df=${df}: got ${got}, scipy ${t}`);
  }
  for (const p of [0.6, 0.975, 0.9995]) {
    const cauchy = Math.tan(Math.PI * (p - 0.5));
    assert.ok(Math.abs(studentTQuantile(p, 1) - cauchy) < 1e-11 * cauchy, `df 1, p=${p}`);
  }
});

test('studentTCdf inverts the quantile and has the closed forms of df 1 (Cauchy) and df 2', () => {
  for (const t of [-3, -0.5, 0, 0.7, 4]) {
    assert.ok(Math.abs(studentTCdf(t, 1) - (0.5 + Math.atan(t) / Math.PI)) < 1e-13, `df 1, t=${t}`);
    assert.ok(Math.abs(studentTCdf(t, 2) - (0.5 + t / (2 * Math.sqrt(2 + t * t)))) < 1e-13, `df 2, t=${t}`);
  }
  assert.throws(() => studentTQuantile(1, 3), /p in \(0, 1\)/);
  assert.throws(() => studentTQuantile(0.5, 0), /df > 0/);
});

test('pairedDifference: mean, sd and t interval of the differences match scipy', () => {
  for (const { a, b, level, mean, sd, interval } of reference.paired) {
    const got = pairedDifference(byRun(b), byRun(a), level);
    assert.equal(got.n, a.length);
    assert.ok(Math.abs(got.mean! - mean) < 1e-12, `mean of ${a.length}`);
    assert.ok(Math.abs(got.std! - sd) < 1e-12, `sd of ${a.length}`);
    assert.ok(Math.abs(got.interval![0] - interval[0]) < 1e-9 && Math.abs(got.interval![1] - interval[1]) < 1e-9, `interval of ${a.length}`);
    assert.equal(got.beyondNoise, interval[0] > 0 || interval[1] < 0);
  }
});

test('pairedDifference pairs by run, leaves out runs missing on either side, and needs two pairs for an interval', () => {
  const method = new Map([['0', 0.5], ['1', 0.6], ['2', null], ['7', 0.9]]);
  const erm = new Map([['1', 0.4], ['0', 0.45], ['2', 0.3]]);
  const got = pairedDifference(method, erm);
  assert.equal(got.n, 2);
  assert.ok(Math.abs(got.mean! - 0.125) < 1e-12);
  // Two pairs, differences 0.05 and 0.2: t_{0.975, 1} = 12.706…, so the interval spans 0.
  assert.equal(got.beyondNoise, false);
  const single = pairedDifference(new Map([['0', 0.5]]), erm);
  assert.ok(Math.abs(single.mean! - 0.05) < 1e-12);
  assert.deepEqual({ ...single, mean: 0 }, { mean: 0, std: null, n: 1, interval: null, beyondNoise: null });
  // A constant shift has zero spread: its interval is the point itself, away from 0.
  assert.equal(pairedDifference(byRun([0.3, 0.4, 0.5]), byRun([0.2, 0.3, 0.4])).beyondNoise, true);
});
