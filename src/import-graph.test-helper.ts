/**
 * The import graph of the TypeScript sources, and a checker of rules over its edges, for boundaries.test.ts.
 * Imports are read with TypeScript's own pre-processor (static imports, `export … from`, `import type`, and
 * dynamic `import('…')` with a literal specifier), so comments and strings never count as imports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface ImportEdge {
  /** The importing file, relative to the source root, e.g. 'train/fit.ts'. */
  from: string;
  /** As written in the import, e.g. '../methods/method.js' or '@tensorflow/tfjs'. */
  specifier: string;
  /** The imported source file for a relative specifier (the .js of NodeNext resolution read as .ts); else undefined. */
  to?: string;
}

export interface ImportGraph {
  files: string[];
  edges: ImportEdge[];
}

/** Every .ts source under `root` (a folder URL ending in '/'), by '/'-separated path relative to it; no .d.ts. */
export function readSourceTree(root: URL): Map<string, string> {
  const folder = fileURLToPath(root);
  const sources = new Map<string, string>();
  for (const relative of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
    const path = relative.split(sep).join('/');
    if (path.endsWith('.ts') && !path.endsWith('.d.ts')) sources.set(path, readFileSync(join(folder, relative), 'utf8'));
  }
  return sources;
}

export function buildImportGraph(sources: ReadonlyMap<string, string>): ImportGraph {
  const edges: ImportEdge[] = [];
  for (const [from, text] of sources) {
    for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
      const to = specifier.startsWith('.') ? posix.join(posix.dirname(from), specifier).replace(/\.js$/, '.ts') : undefined;
      edges.push({ from, specifier, ...(to !== undefined ? { to } : {}) });
    }
  }
  return { files: [...sources.keys()].sort(), edges };
}

/**
 * Test support that is not named *.test-helper.ts (renaming these belongs to their rooms' owners). package.json
 * "files" leaves the same files out of the package; keep the two lists together.
 */
export const TEST_SUPPORT_FILES = ['bench/test-entries.ts', 'data/loaders/test-data.ts', 'methods/test-support.ts', 'metrics/fixture-cases.ts', 'report/test-report.ts'];

/** Tests, their helpers and fixtures: code that does not ship, so the boundaries do not hold it. */
export function isTestCode(file: string): boolean {
  return /\.test(-helper)?\.ts$/.test(file) || /(^|\/)fixtures\//.test(file) || TEST_SUPPORT_FILES.includes(file);
}

/** Every file reachable from `starts` along import edges, the starts included. */
export function reachableFrom(graph: ImportGraph, starts: Iterable<string>): Set<string> {
  const next = new Map<string, string[]>();
  for (const edge of graph.edges) if (edge.to !== undefined) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const seen = new Set<string>();
  const stack = [...starts];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...(next.get(file) ?? []));
  }
  return seen;
}

export interface BoundaryRule {
  name: string;
  /** Whether the rule constrains the imports of this file. */
  appliesTo(file: string): boolean;
  /** Whether this import, from a file the rule applies to, breaks it. */
  forbids(edge: ImportEdge): boolean;
}

/** The edges breaking `rule`, as "train/fit.ts imports '../methods/method.js'", sorted. */
export function findViolations(graph: ImportGraph, rule: BoundaryRule): string[] {
  return graph.edges
    .filter((edge) => rule.appliesTo(edge.from) && rule.forbids(edge))
    .map((edge) => `${edge.from} imports '${edge.specifier}'`)
    .sort();
}
