import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const runningTs = import.meta.url.endsWith('.ts');
const cli = fileURLToPath(new URL(runningTs ? './main.ts' : './main.js', import.meta.url));
const argv = (args: string[]) => [...(runningTs ? ['--import', 'tsx'] : []), cli, ...args];
const root = fileURLToPath(new URL('../../', import.meta.url));
const audit = ['audit', 'examples/synthetic-loans.csv', '--label', 'approved', '--score', 'score', '--sensitive', 'group,region'];

/** Runs fairkit with its standard output closed by the reader before anything is written (as `| head -0`). */
function withClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv(args), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** Runs fairkit with its standard output on /dev/full (every write fails with ENOSPC). */
function withFullStdout(args: string[]): { status: number | null; stderr: string } {
  const full = openSync('/dev/full', 'w');
  try {
    const result = spawnSync(process.execPath, argv(args), { cwd: root, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
    return { status: result.status, stderr: result.stderr };
  } finally {
    closeSync(full);
  }
}

describe('a closed or full standard output', () => {
  for (const [name, args] of [['methods', ['methods']], ['audit', audit], ['--help', ['train', '--help']]] as const) {
    test(`fairkit ${name} into a closed pipe ends quietly with exit code 0`, async () => {
      const { code, stderr } = await withClosedStdout([...args]);
      assert.equal(stderr, '');
      assert.equal(code, 0);
    });
  }

  test('a pipe closed after the first line (| head -1) ends quietly with exit code 0', () => {
    const command = [process.execPath, ...argv([...audit, '--format', 'json'])].map((arg) => `'${arg}'`).join(' ');
    const result = spawnSync('bash', ['-c', `set -o pipefail; ${command} | head -1`], { cwd: root, encoding: 'utf8' });
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, '{\n');
    assert.equal(result.status, 0);
  });

  for (const [name, args] of [['methods', ['methods']], ['audit --format json', [...audit, '--format', 'json']]] as const) {
    test(`fairkit ${name} onto /dev/full fails with one clear line and exit code 1`, { skip: !existsSync('/dev/full') }, () => {
      const { status, stderr } = withFullStdout([...args]);
      assert.equal(stderr, 'fairkit: cannot write to standard output: no space left on device (ENOSPC)\n');
      assert.equal(status, 1);
    });
  }
});
