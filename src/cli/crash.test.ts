/**
 * Crash safety of a run folder: `fairkit train --out` is killed (SIGKILL, through the FAIRKIT_CRASH_AT test hook of
 * src/io/folder-swap.ts) at every write point; the folder must then be absent, the old complete run or the new
 * complete run, never a mix, and the next run must clean up what the crash left.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';

const root = mkdtempSync(join(tmpdir(), 'fairkit-crash-'));
after(() => rmSync(root, { recursive: true, force: true }));
const cli = fileURLToPath(new URL('./main.js', import.meta.url));
const example = fileURLToPath(new URL('../../examples/synthetic-loans.csv', import.meta.url));
const RUN_FILES = ['contribution.json', 'metrics.json', 'model.json', 'weights.bin'];

function train(out: string, seed: number, options: { crashAt?: string; force?: boolean } = {}) {
  const args = ['train', '--dataset', example, '--target', 'approved', '--sensitive', 'group', '--drop', 'id,score,decision', '--epochs', '1', '--hidden', '4', '--seed', String(seed), '--track-contribution', '--out', out, '--format', 'json', ...(options.force ? ['--force'] : [])];
  const env: NodeJS.ProcessEnv = { ...process.env, FAIRKIT_BACKEND: process.env.FAIRKIT_BACKEND ?? 'wasm' };
  delete env.FAIRKIT_CRASH_AT;
  if (options.crashAt) env.FAIRKIT_CRASH_AT = options.crashAt;
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env });
}

/** A complete run folder's id: every file present, weights.bin matching model.json, one run id in all three JSON files. */
function completeRun(dir: string): string {
  assert.deepEqual(readdirSync(dir).sort(), RUN_FILES, `${dir} holds exactly one run's files`);
  const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const weights = readFileSync(join(dir, 'weights.bin'));
  assert.equal(createHash('sha256').update(weights).digest('hex'), model.weights.sha256, 'weights.bin matches model.json');
  const runId = model.provenance.runId as string;
  assert.match(runId, /^[0-9a-f-]{36}$/);
  assert.equal(JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')).runId, runId, 'metrics.json is of the same run');
  assert.equal(JSON.parse(readFileSync(join(dir, 'contribution.json'), 'utf8')).runId, runId, 'contribution.json is of the same run');
  return runId;
}

const leftovers = (name: string) => readdirSync(root).filter((entry) => entry.startsWith(`.${name}.`)).sort();

describe('a run folder survives a kill at every write point', () => {
  test('into a new folder: a crash before the swap leaves no folder, and the next run cleans up', () => {
    const out = join(root, 'fresh');
    const crashed = train(out, 1, { crashAt: 'weights.bin' });
    assert.equal(crashed.signal, 'SIGKILL', crashed.stderr);
    assert.ok(!existsSync(out), 'no half-written folder');
    assert.equal(leftovers('fresh').length, 1);
    assert.match(leftovers('fresh')[0], /^\.fresh\.tmp-\d+-[0-9a-f]{12}$/);
    const run = train(out, 1);
    assert.equal(run.status, 0, run.stderr);
    completeRun(out);
    assert.deepEqual(leftovers('fresh'), []);
  });

  test('over an existing run: old or new, never a mix, at every point; the next run restores or cleans up', () => {
    const out = join(root, 'run');
    const first = train(out, 1);
    assert.equal(first.status, 0, first.stderr);
    let current = completeRun(out);
    // The points in write order (src/io/folder-swap.ts): each file in the temporary folder, then the swap.
    const points: [string, 'old' | 'absent' | 'new'][] = [
      ['weights.bin', 'old'],
      ['model.json', 'old'],
      ['metrics.json', 'old'],
      ['contribution.json', 'old'],
      ['staged', 'old'],
      ['aside', 'absent'],
      ['swapped', 'new'],
    ];
    for (const [point, expected] of points) {
      const crashed = train(out, 2, { crashAt: point, force: true });
      assert.equal(crashed.signal, 'SIGKILL', `${point}: ${crashed.stderr}`);
      assert.equal(crashed.stdout, '', `${point}: killed before reporting`);
      if (expected === 'absent') {
        assert.ok(!existsSync(out), `${point}: between the renames the folder is away`);
        assert.deepEqual(leftovers('run').map((name) => name.replace(/-\d+-[0-9a-f]+$/, '')), ['.run.old', '.run.tmp']);
      } else {
        const id = completeRun(out);
        assert.equal(id === current, expected === 'old', `${point}: expected the ${expected} run`);
        assert.equal(leftovers('run').length, 1, `${point}: one stray folder`);
      }
      // The next run repairs the folder first: without --force it then refuses, before training, the run it finds.
      const next = train(out, 3);
      assert.equal(next.status, 2, `${point}: ${next.stderr}`);
      assert.equal(next.stderr.trim(), `fairkit: --out: ${out} already holds a run (model.json). Give --force to replace the folder whole, or another folder`);
      const after = completeRun(out);
      assert.equal(after === current, expected !== 'new', `${point}: ${expected === 'new' ? 'the new run stays' : 'the old run is (back) in place'}`);
      assert.deepEqual(leftovers('run'), [], `${point}: leftovers removed`);
      current = after;
    }
    const last = train(out, 4, { force: true });
    assert.equal(last.status, 0, last.stderr);
    assert.notEqual(completeRun(out), current);
    assert.deepEqual(leftovers('run'), []);
  });
});
