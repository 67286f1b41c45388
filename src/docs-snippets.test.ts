import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Every code block of README.md and docs/**\/*.md is a test. A ```ts or ```js block is written to a folder inside
 * the repository (so that `import … from 'fairkit'` resolves to this package through its self-reference export),
 * type-checked with the project's compiler options, and run under tsx with the repository as working directory,
 * unless `<!-- snippet: fragment -->` right before its fence says it is an illustrative fragment (a signature, a
 * schema); the fragments are counted against a fixed list below. Every `fairkit …` line of any block is checked
 * against the command's --help (each flag must exist); those of ```sh / ```bash blocks whose commands are cheap
 * (audit, methods) are also run and must succeed.
 */
const root = fileURLToPath(new URL('../', import.meta.url));
const cli = join(root, 'dist', 'cli', 'main.js');
const run = promisify(execFile);

const FRAGMENT_MARK = '<!-- snippet: fragment -->';
/** The blocks allowed to be fragments, by file: signatures and schemas that are not programs. */
const FRAGMENTS: Record<string, number> = {
  'docs/datasets.md': 2,
  'docs/model-folder.md': 1,
};
/** Commands cheap enough to run as the docs show them. */
const RUNNABLE_COMMANDS = new Set(['audit', 'methods']);

interface Block {
  file: string;
  line: number;
  lang: string;
  code: string;
  fragment: boolean;
}

function markdownFiles(): string[] {
  const docs = readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.md')).map((name) => join('docs', name));
  return ['README.md', ...docs.sort()];
}

function blocksOf(file: string): Block[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    let before = start - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    blocks.push({ file, line: start + 1, lang: open[1], code: `${body.join('\n')}\n`, fragment: before >= 0 && lines[before].trim() === FRAGMENT_MARK });
  }
  return blocks;
}

const blocks = markdownFiles().flatMap(blocksOf);
const programs = blocks.filter((block) => ['ts', 'js', 'typescript', 'javascript'].includes(block.lang));
const runnable = programs.filter((block) => !block.fragment);
const where = (block: Pick<Block, 'file' | 'line'>) => `${block.file}:${block.line}`;

/** `fairkit …` invocations: the command, its arguments as words, and whether the block is a shell block. */
interface Invocation {
  where: string;
  command: string;
  args: string[];
  shell: boolean;
}

function invocations(block: Block): Invocation[] {
  const found: Invocation[] = [];
  block.code.split('\n').forEach((text, offset) => {
    const line = text.replace(/^\s*\$\s+/, '').replace(/\s+#.*$/, '');
    for (const segment of line.split(/&&|\|\||;|\|(?![\w-])/)) {
      const match = /^\s*(?:npx\s+)?fairkit\s+([a-z][\w-]*)(.*)$/.exec(segment);
      if (match) found.push({ where: `${block.file}:${block.line + 1 + offset}`, command: match[1], args: match[2].trim().split(/\s+/).filter(Boolean), shell: ['sh', 'bash'].includes(block.lang) });
    }
  });
  return found;
}

const calls = blocks.flatMap(invocations);
const folder = mkdtempSync(join(root, '.snippets-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** Runs `work` over `items`, at most `size` at a time. */
async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

describe('docs snippets', () => {
  test('the snippets are found, and the fragments are the listed few', () => {
    assert.ok(runnable.length >= 8, `${runnable.length} runnable ts/js snippets`);
    const fragments: Record<string, number> = {};
    for (const block of programs.filter((candidate) => candidate.fragment)) fragments[block.file] = (fragments[block.file] ?? 0) + 1;
    assert.deepEqual(fragments, FRAGMENTS);
    // A fragment mark on anything but a ts/js block would be a typo.
    assert.deepEqual(blocks.filter((block) => block.fragment && !programs.includes(block)).map(where), []);
    assert.ok(calls.filter((call) => call.shell).length >= 8, `${calls.length} fairkit lines`);
  });

  const files = runnable.map((block, i) => {
    const name = `${block.file.replace(/[^\w]+/g, '-')}-${block.line}-${i}.${block.lang.startsWith('j') ? 'mjs' : 'ts'}`;
    writeFileSync(join(folder, name), block.code);
    return { block, name };
  });

  test('every ts/js snippet type-checks', () => {
    writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], types: ['node'], strict: true, skipLibCheck: true, noEmit: true, allowJs: true, checkJs: true },
      include: ['*.ts', '*.mjs'],
    }));
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(folder, 'tsconfig.json')], { cwd: root, encoding: 'utf8' });
    // Name the doc and line of each error instead of the temporary file.
    const named = files.reduce((text, { block, name }) => text.split(name).join(where(block)), tsc.stdout + tsc.stderr);
    assert.equal(tsc.status, 0, named);
  });

  test('every ts/js snippet runs', async () => {
    // Two processes (one per core), each importing its share of the snippets in turn: TensorFlow.js and tsx start
    // once per process, and a snippet that throws is reported with its doc and line while the others still run.
    writeFileSync(join(folder, 'run-snippets.mjs'), [
      "import { writeFileSync } from 'node:fs';",
      "import { pathToFileURL } from 'node:url';",
      'const [out, ...files] = process.argv.slice(2);',
      'const failures = {};',
      'for (const file of files) {',
      '  try { await import(pathToFileURL(file).href); } catch (error) { failures[file] = String(error?.stack ?? error); }',
      '}',
      'writeFileSync(out, JSON.stringify(failures));',
      '',
    ].join('\n'));
    const shares = [files.filter((_, i) => i % 2 === 0), files.filter((_, i) => i % 2 === 1)].filter((share) => share.length > 0);
    const failures: string[] = [];
    await Promise.all(shares.map(async (share, i) => {
      const out = join(folder, `failures-${i}.json`);
      try {
        await run(process.execPath, ['--import', 'tsx', join(folder, 'run-snippets.mjs'), out, ...share.map(({ name }) => join(folder, name))], { cwd: root, timeout: 120_000, env: { ...process.env, FAIRKIT_BACKEND: process.env.FAIRKIT_BACKEND ?? 'wasm' } });
        const failed = JSON.parse(readFileSync(out, 'utf8')) as Record<string, string>;
        for (const { block, name } of share) if (join(folder, name) in failed) failures.push(`${where(block)}: ${failed[join(folder, name)]}`);
      } catch (error) {
        const { stderr, message } = error as { stderr?: string; message: string };
        failures.push(`${share.map(({ block }) => where(block)).join(', ')}: ${stderr || message}`);
      }
    }));
    assert.deepEqual(failures, []);
  });

  test('every flag of every `fairkit` line exists in that command\'s --help', async () => {
    const helps = new Map<string, string>();
    const problems: string[] = [];
    const helpOf = (command: string) => {
      if (!helps.has(command)) {
        const help = spawnSync(process.execPath, [cli, ...command.split(' '), '--help'], { encoding: 'utf8' });
        helps.set(command, help.status === 0 && help.stdout.startsWith(`Usage: fairkit ${command}`) ? help.stdout : '');
      }
      return helps.get(command)!;
    };
    for (const call of calls) {
      let help = helpOf(call.command);
      if (help === '') {
        problems.push(`${call.where}: no command 'fairkit ${call.command}'`);
        continue;
      }
      // A command with subcommands (`fairkit steer fit …`): the flags are the subcommand's.
      if (/^Commands:$/m.test(help) && call.args.length > 0) {
        help = helpOf(`${call.command} ${call.args[0]}`);
        if (help === '') {
          problems.push(`${call.where}: no command 'fairkit ${call.command} ${call.args[0]}'`);
          continue;
        }
      }
      for (const flag of call.args.join(' ').match(/--[a-z][\w-]*/g) ?? []) {
        if (!new RegExp(`(^|[\\s,])${flag}([\\s,=]|$)`, 'm').test(help)) problems.push(`${call.where}: fairkit ${call.command} has no ${flag}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test('the cheap commands of the shell snippets run as shown', async () => {
    const cheap = calls.filter((call) => call.shell && RUNNABLE_COMMANDS.has(call.command));
    assert.ok(cheap.length >= 3, `${cheap.length} runnable commands`);
    const failures: string[] = [];
    await pool(cheap, 2, async (call) => {
      try {
        await run(process.execPath, [cli, call.command, ...call.args], { cwd: root, timeout: 60_000 });
      } catch (error) {
        const { stderr, message } = error as { stderr?: string; message: string };
        failures.push(`${call.where}: ${stderr || message}`);
      }
    });
    assert.deepEqual(failures, []);
  });
});

