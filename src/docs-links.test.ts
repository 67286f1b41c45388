import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * Every link of README.md and docs/**\/*.md to a heading of a Markdown file (`[…](#anchor)`, `[…](other.md#anchor)`)
 * must name a heading or an explicit `<a id="…">` of that file, as GitHub renders them: docs/speed.md's sections are
 * named by date and time, and a renamed section silently breaks the links to it.
 */
const root = fileURLToPath(new URL('../', import.meta.url));

function markdownFiles(): string[] {
  const docs = readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.md'));
  return ['README.md', ...docs.map((name) => join('docs', name))];
}

/** The text outside fenced code blocks (a `#` line in a shell block is no heading, a link in a snippet no link). */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped (letters, digits, _ and - kept), spaces as -. */
function headingAnchor(heading: string): string {
  return heading
    .replace(/<[^>]+>/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}_\- ]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = prose(readFileSync(join(root, file), 'utf8'));
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of text.matchAll(/^#{1,6} (.*)$/gm)) {
    const anchor = headingAnchor(heading);
    const count = seen.get(anchor) ?? 0;
    seen.set(anchor, count + 1);
    anchors.add(count === 0 ? anchor : `${anchor}-${count}`);
  }
  for (const [, id] of text.matchAll(/<a id="([^"]+)"/g)) anchors.add(id);
  return anchors;
}

test('the anchor of a heading is GitHub’s', () => {
  assert.equal(headingAnchor('x·W with 16 output columns (sparse-registers, 2 December, 16:28–16:45 UTC)'), 'xw-with-16-output-columns-sparse-registers-2-december-16281645-utc');
  assert.equal(headingAnchor('### `fairkit audit --task regression`'.slice(4)), 'fairkit-audit---task-regression');
});

test('every link to a heading in README.md and docs/ names a heading of its file', () => {
  const broken: string[] = [];
  let links = 0;
  for (const file of markdownFiles()) {
    for (const [, path, anchor] of prose(readFileSync(join(root, file), 'utf8')).matchAll(/\]\(([^)#\s]*)#([^)\s]+)\)/g)) {
      const target = path === '' ? file : normalize(join(dirname(file), path));
      if (!target.endsWith('.md') || !existsSync(join(root, target))) continue;
      links++;
      if (!anchorsOf(target).has(decodeURIComponent(anchor))) broken.push(`${file}: ${path}#${anchor}`);
    }
  }
  assert.ok(links > 20, `only ${links} links to headings found: the pattern no longer matches the docs`);
  assert.deepEqual(broken, []);
});
