/**
 * fairkit/metrics and fairkit/steer in a real browser: both entries are bundled with esbuild, loaded into headless
 * Chromium (puppeteer-core, the system's /usr/bin/chromium) and asked for an audit and a steering map, which must equal
 * what Node computes from the same inputs. Skipped, with the reason, when no Chromium is installed.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launch } from 'puppeteer-core';
import * as metrics from './metrics/index.js';
import { Rng } from './rng.js';
import * as steer from './steer/index.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The same seeded inputs for both sides: 300 rows, two groups, labels, scores and two features. */
function inputs() {
  const rng = new Rng(42);
  const n = 300;
  const groupIds = Array.from({ length: n }, () => (rng.uniform() < 0.4 ? 1 : 0));
  const yTrue = groupIds.map((g) => (rng.uniform() < (g ? 0.3 : 0.5) ? 1 : 0));
  const scores = yTrue.map((y, i) => Math.min(1, Math.max(0, 0.3 + 0.4 * y - 0.1 * groupIds[i] + 0.2 * rng.normal())));
  const rows = Array.from({ length: n * 2 }, (_, t) => rng.normal() + 2 * yTrue[Math.floor(t / 2)] - groupIds[Math.floor(t / 2)]);
  return { n, groupIds, yTrue, scores, rows };
}

type Inputs = ReturnType<typeof inputs>;
type Entries = { metrics: typeof metrics; steer: typeof steer };

/** Runs in Node and, serialised, in the page: nothing may refer to anything outside its arguments. */
function compute(lib: Entries, data: Inputs) {
  const audit = lib.metrics.evaluate({ yTrue: data.yTrue, scores: data.scores, groupIds: data.groupIds, groups: { keys: ['M', 'F'], values: [{ sex: 'M' }, { sex: 'F' }] } });
  const map = lib.steer.fitSteering(
    { rows: Float64Array.from(data.rows), dim: 2, groups: data.groupIds, labels: data.yTrue, features: ['x1', 'x2'], groupNames: ['M', 'F'], labelNames: ['0', '1'], sensitive: 'sex', label: 'y' },
    { method: 'ideal', groupClassifier: { c: 1 } },
  );
  return JSON.parse(JSON.stringify({ audit, map }));
}

/** Asserts equal structure and strings, numbers within 1e-12 relative; returns how many numbers were compared. */
function sameShape(actual: unknown, expected: unknown, path: string): number {
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', path);
    assert.ok(Math.abs((actual as number) - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${path}: ${actual} vs ${expected}`);
    return 1;
  }
  if (expected === null || typeof expected !== 'object') {
    assert.deepEqual(actual, expected, path);
    return 0;
  }
  assert.deepEqual(Object.keys(actual as object), Object.keys(expected), path);
  return Object.entries(expected).reduce((count, [key, value]) => count + sameShape((actual as Record<string, unknown>)[key], value, `${path}.${key}`), 0);
}

test('the package exports fairkit/metrics and fairkit/steer resolve to these modules', async () => {
  // Through a variable, so that the compiler does not resolve the package's own name (dist/ may not exist yet).
  const names = ['fairkit/metrics', 'fairkit/steer'];
  const [m, s] = await Promise.all(names.map((name) => import(name)));
  assert.equal(m.evaluate, metrics.evaluate);
  assert.equal(s.fitSteering, steer.fitSteering);
});

test('fairkit/metrics and fairkit/steer give the same audit and steering map in headless Chromium as in Node', async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`no Chromium at ${CHROMIUM} (install chromium or set CHROMIUM_PATH)`);
    return;
  }
  const folder = mkdtempSync(join(tmpdir(), 'fairkit-browser-'));
  const entry = join(folder, 'entry.js');
  const dist = (path: string) => fileURLToPath(new URL(path, import.meta.url));
  writeFileSync(entry, `export * as metrics from ${JSON.stringify(dist('./metrics/index.js'))};\nexport * as steer from ${JSON.stringify(dist('./steer/index.js'))};\n`);
  const bundle = await build({ entryPoints: [entry], bundle: true, format: 'iife', globalName: 'fairkit', platform: 'browser', write: false, logLevel: 'silent' });
  const browser = await launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    const data = inputs();
    const inPage = await page.evaluate(`(${compute.toString()})(globalThis.fairkit, ${JSON.stringify(data)})`);
    assert.deepEqual(errors, []);
    const inNode = compute({ metrics, steer }, data);
    assert.ok(inNode.audit.fairness && inNode.map.maps.length === 3, 'the Node side computed nothing');
    // Chromium's and Node's V8 may round Math.log/exp in the last bit, so numbers agree to 1e-12, not bit for bit.
    const numbers = sameShape(inPage, inNode, '$');
    assert.ok(numbers > 50, `only ${numbers} numbers compared`);
  } finally {
    await browser.close();
  }
});
