import assert from 'node:assert/strict';
import fs, { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { FairStream } from '../stream/fair-stream.js';
import { loadStream, removeStream, saveStream, STREAM_FILE } from './stream-file.js';

const model = { epsilon: 0.05, nGroups: 2 };

function streamAfter(batches: number): FairStream {
  const stream = new FairStream({ epsilon: 0.05, eta0: 0.5, groups: 2 });
  for (let t = 0; t < batches; t++) stream.update([t % 3, 1 + (t % 2)], Int32Array.of(t % 2, 1 - (t % 2)));
  return stream;
}

describe('stream.json in a model folder', () => {
  test('saved and loaded, the stream continues bit-identically; removed, there is none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fairkit-stream-'));
    assert.equal(loadStream(dir, model), undefined);
    const original = streamAfter(20);
    saveStream(dir, original);
    const resumed = loadStream(dir, model)!;
    assert.deepEqual(resumed.update([0.3], Int32Array.of(1)), original.update([0.3], Int32Array.of(1)));
    assert.deepEqual(resumed.report(), original.report());
    removeStream(dir);
    assert.deepEqual(readdirSync(dir), []);
    removeStream(dir); // nothing to remove: no error
  });

  test('a write that dies half-way leaves the old stream.json whole and no temporary file', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'fairkit-stream-'));
    saveStream(dir, streamAfter(5));
    const before = readFileSync(join(dir, STREAM_FILE), 'utf8');
    // The writer imports writeSync by name: patch the module and sync its ES bindings, so the next write stores half
    // of its bytes and then fails, as a full disk or a crash mid-write would.
    const original = fs.writeSync;
    const halfThenFail = ((fd: number, buffer: Uint8Array, offset: number, length: number) => {
      original(fd, buffer, offset, Math.floor(length / 2));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as unknown as typeof fs.writeSync;
    fs.writeSync = halfThenFail;
    syncBuiltinESMExports();
    t.after(() => {
      fs.writeSync = original;
      syncBuiltinESMExports();
    });
    assert.throws(() => saveStream(dir, streamAfter(50)), (error: unknown) => error instanceof FairkitError && /cannot write .*stream\.json: ENOSPC/.test(error.message));
    fs.writeSync = original;
    syncBuiltinESMExports();
    assert.equal(readFileSync(join(dir, STREAM_FILE), 'utf8'), before);
    assert.deepEqual(readdirSync(dir), [STREAM_FILE], 'no temporary file left behind');
    assert.equal(loadStream(dir, model)!.report().batches, 5);
  });

  test('a damaged file or another model’s stream is refused, naming the file and --reset-stream', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fairkit-stream-'));
    const refuses = (pattern: RegExp, against = model) =>
      assert.throws(() => loadStream(dir, against), (error: unknown) => error instanceof FairkitError && pattern.test(error.message) && /stream\.json/.test(String(error.where)) && /--reset-stream/.test(String(error.fix)));
    writeFileSync(join(dir, STREAM_FILE), '{"format":"fairkit-stream","vers');
    refuses(/the saved stream is unreadable: .*not JSON/);
    saveStream(dir, streamAfter(3));
    refuses(/the saved stream has epsilon 0.05 and 2 groups, the model epsilon 0.1 and 2 groups/, { epsilon: 0.1, nGroups: 2 });
    refuses(/the model epsilon 0.05 and 3 groups/, { epsilon: 0.05, nGroups: 3 });
  });
});
