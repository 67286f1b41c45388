import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/** Every module reachable from an entry through relative imports, with the bare specifiers each imports. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (graph.has(file)) continue;
    const source = readFileSync(file, 'utf8');
    const specifiers = [...source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
    graph.set(file, specifiers.filter((s) => !s.startsWith('.')));
    for (const s of specifiers) if (s.startsWith('.')) pending.push(join(dirname(file), s));
  }
  return graph;
}

test('the metrics entry imports no node: module and no TensorFlow.js (it must run in a browser)', () => {
  const entry = fileURLToPath(new URL('./index.js', import.meta.url));
  const graph = importGraph(entry);
  assert.ok(graph.size >= 15, `only ${graph.size} modules reached`);
  for (const [file, bare] of graph) {
    for (const specifier of bare) {
      assert.ok(!specifier.startsWith('node:') && !specifier.includes('tensorflow'), `${file} imports ${specifier}`);
    }
  }
  assert.ok([...graph.values()].flat().includes('zod'), 'the walk sees bare imports');
});
