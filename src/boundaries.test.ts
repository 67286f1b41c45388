/**
 * The rooms of ARCHITECTURE.md as enforced rules (design note §8): each rule walks the import graph of the
 * sources in src/ and lists every import that breaks it, with file and specifier. Only shipped code is held to the
 * rules: tests may read fixtures with node:fs or drive the CLI.
 */
import assert from 'node:assert/strict';
import { isBuiltin } from 'node:module';
import { describe, test } from 'node:test';
import { buildImportGraph, findViolations, isTestCode, reachableFrom, readSourceTree, TEST_SUPPORT_FILES, type BoundaryRule, type ImportEdge, type ImportGraph } from './import-graph.test-helper.js';

const inRoom = (room: string) => (file: string) => file.startsWith(`${room}/`);
const isTensorFlow = (edge: ImportEdge) => edge.specifier.startsWith('@tensorflow/');

/** The rules, for a graph of files relative to src/. */
function boundaryRules(graph: ImportGraph): BoundaryRule[] {
  const shipped = graph.files.filter((file) => !isTestCode(file));
  const ships = (file: string) => !isTestCode(file);
  // data/ reads files (node:fs and node:zlib in csv.ts, data-dir.ts, colored-mnist.ts), so the browser rule covers
  // metrics/, steer/ (the fairkit/metrics and fairkit/steer entries) and stream/ (the online fairness adjuster a browser
  // runs) only; but whatever they pull in runs in the browser too, hence the closure.
  const browserSafe = reachableFrom(graph, shipped.filter((file) => inRoom('metrics')(file) || inRoom('steer')(file) || inRoom('stream')(file)));
  // Loading data, computing a metric or a steering map must never load TensorFlow.js, directly or through a helper.
  const withoutTensorFlow = reachableFrom(graph, shipped.filter((file) => inRoom('metrics')(file) || inRoom('steer')(file) || inRoom('data')(file)));
  return [
    {
      name: 'train/ does not import methods/ (methods plug into the loop, not the reverse)',
      appliesTo: (file) => ships(file) && inRoom('train')(file),
      forbids: (edge) => edge.to !== undefined && inRoom('methods')(edge.to),
    },
    {
      name: 'metrics/, steer/ and data/, and what they import, do not import TensorFlow.js',
      appliesTo: (file) => ships(file) && withoutTensorFlow.has(file),
      forbids: isTensorFlow,
    },
    {
      name: 'metrics/, steer/ and stream/, and what they import, import neither Node.js built-ins nor TensorFlow.js (browser-safe)',
      appliesTo: (file) => ships(file) && browserSafe.has(file),
      forbids: (edge) => edge.to === undefined && (isBuiltin(edge.specifier) || isTensorFlow(edge)),
    },
    {
      name: 'nothing outside cli/ imports cli/',
      appliesTo: (file) => ships(file) && !inRoom('cli')(file),
      forbids: (edge) => edge.to !== undefined && inRoom('cli')(edge.to),
    },
    {
      // package.json "files" leaves test code out of the package: an import of it would fail once installed.
      name: 'shipped code does not import test code (tests, helpers, fixtures)',
      appliesTo: ships,
      forbids: (edge) => edge.to !== undefined && isTestCode(edge.to),
    },
  ];
}

// The sources beside the compiled test (dist/ → ../src/), or this file's own folder under tsx.
const graph = buildImportGraph(readSourceTree(new URL('../src/', import.meta.url)));

describe('import boundaries of src/', () => {
  test('the graph is the real source tree (the rules cannot pass on an empty one)', () => {
    assert.ok(graph.files.length > 100, `only ${graph.files.length} sources found`);
    for (const file of ['index.ts', 'cli/main.ts', 'train/fit.ts', 'metrics/index.ts', 'data/csv.ts', 'stream/fair-stream.ts']) assert.ok(graph.files.includes(file) && !isTestCode(file), `${file} is missing`);
    assert.ok(graph.edges.some((edge) => edge.from === 'index.ts' && edge.to === 'metrics/index.ts'), 'index.ts has no imports');
    for (const file of TEST_SUPPORT_FILES) assert.ok(graph.files.includes(file), `${file} (listed as test support) no longer exists`);
  });

  for (const rule of boundaryRules(graph)) {
    test(rule.name, () => {
      const violations = findViolations(graph, rule);
      assert.deepEqual(violations, [], `${violations.length} import(s) break the rule:\n  ${violations.join('\n  ')}`);
    });
  }
});

describe('the boundary checker', () => {
  // A small tree with breaks of each rule, next to allowed imports that look alike.
  const sources = new Map([
    ['index.ts', "export * from './metrics/compute.js';\nexport * from './data/csv.js';\nexport * from './report/chart.js';\nexport * from './train/fit.js';"],
    ['cli/main.ts', "import '../report/chart.js';\nimport { readFileSync } from 'node:fs';"],
    ['train/fit.ts', "import type { Method } from '../methods/method.js';\nimport { batches } from './batches.js';"],
    ['train/batches.ts', ''],
    ['methods/method.ts', "import { batches } from '../train/batches.js';"],
    ['metrics/compute.ts', "// import { main } from '../cli/main.js' (a comment is not an import)\nimport { sum } from './util.js';\nconst cli = await import('../cli/main.js');"],
    ['metrics/util.ts', "import * as tf from '@tensorflow/tfjs';\nimport { readFileSync } from 'fs';\nimport { FairkitError } from '../errors.js';"],
    ['errors.ts', ''],
    ['metrics/compute.test.ts', "import assert from 'node:assert/strict';\nimport { run } from '../cli/run.test-helper.js';\nimport cases from './fixtures/cases.json' with { type: 'json' };"],
    ['cli/run.test-helper.ts', "import { spawnSync } from 'node:child_process';"],
    ['data/csv.ts', "import { createReadStream } from 'node:fs';\nimport { gunzipSync } from 'node:zlib';"],
    ['report/chart.ts', "export { renderSvg } from '../cli/render.js';\nimport { fakeEntry } from '../bench/test-entries.js';"],
    ['cli/render.ts', ''],
    ['bench/test-entries.ts', ''],
    ['stream/online.ts', "import { performance } from 'node:perf_hooks';"],
  ]);
  const synthetic = buildImportGraph(sources);
  const [trainToMethods, tensorFlow, browserSafe, cli, testCode] = boundaryRules(synthetic).map((rule) => findViolations(synthetic, rule));

  test('reports each breaking edge with its file and specifier', () => {
    assert.deepEqual(trainToMethods, ["train/fit.ts imports '../methods/method.js'"]);
    assert.deepEqual(tensorFlow, ["metrics/util.ts imports '@tensorflow/tfjs'"]);
    // cli/main.ts is held to the browser rule only because metrics/compute.ts pulls it in: the rule is transitive.
    assert.deepEqual(browserSafe, ["cli/main.ts imports 'node:fs'", "metrics/util.ts imports '@tensorflow/tfjs'", "metrics/util.ts imports 'fs'", "stream/online.ts imports 'node:perf_hooks'"]);
    assert.deepEqual(cli, ["metrics/compute.ts imports '../cli/main.js'", "report/chart.ts imports '../cli/render.js'"]);
    assert.deepEqual(testCode, ["report/chart.ts imports '../bench/test-entries.js'"]);
  });

  test('test code is not held to the rules', () => {
    for (const file of ['metrics/compute.test.ts', 'cli/run.test-helper.ts', 'metrics/fixtures/cases.json', 'bench/test-entries.ts', 'nn/fixtures/probe.ts']) assert.ok(isTestCode(file), file);
    for (const file of ['metrics/compute.ts', 'errors.ts', 'data/loaders/adult.ts', 'bench/trial.ts']) assert.ok(!isTestCode(file), file);
  });
});
