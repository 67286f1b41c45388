import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fairkitInProcess } from '../cli/run-cli.test-helper.js';

const root = mkdtempSync(join(tmpdir(), 'fairkit-run-report-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('fairkit report on a train run folder', () => {
  test('draws the per-group rates, the training curves and, when tracked, the contribution disparity', async () => {
    const tracked = join(root, 'tracked');
    const plain = join(root, 'plain');
    for (const [folder, extra] of [[tracked, ['--track-contribution']], [plain, []]] as const) {
      const train = await fairkitInProcess('train', '--method', 'gcm', '--epochs', '2', '--batch-size', '1000', '--hidden', '8', '--out', folder, '--format', 'json', ...extra);
      assert.equal(train.status, 0, train.stderr);
      const report = await fairkitInProcess('report', folder);
      assert.equal(report.status, 0, report.stderr);
    }
    const html = readFileSync(join(tracked, 'report.html'), 'utf8');
    assert.equal(html.match(/<figure class="chart"/g)?.length, 3);
    assert.equal(html.match(/<svg/g)?.length, 3, 'every chart inline');
    const contribution = readFileSync(join(tracked, 'charts', 'run-contribution.svg'), 'utf8');
    for (const text of ['y = 0', 'y = 1', 'minority / majority: all weights', 'minority / majority: dense0']) assert.ok(contribution.includes(text), text);
    const markdown = readFileSync(join(tracked, 'report.md'), 'utf8');
    for (const chart of ['run-groups', 'run-curves', 'run-contribution']) assert.ok(markdown.includes(`(charts/${chart}.svg)`), chart);
    assert.match(markdown, /\| equalizedOddsSum \| 0\.\d{4} \|/);
    assert.equal(readFileSync(join(plain, 'report.html'), 'utf8').match(/<figure class="chart"/g)?.length, 2);
    assert.ok(!existsSync(join(plain, 'charts', 'run-contribution.svg')));
  });

  test('a regression run draws per-group mean prediction and error, and its validation RMSE curve', async () => {
    const folder = join(root, 'regression');
    const train = await fairkitInProcess('train', '--dataset', 'synthetic-regression', '--epochs', '2', '--hidden', '8', '--out', folder);
    assert.equal(train.status, 0, train.stderr);
    const report = await fairkitInProcess('report', folder);
    assert.equal(report.status, 0, report.stderr);
    const groups = readFileSync(join(folder, 'charts', 'run-groups.svg'), 'utf8');
    for (const text of ['mean prediction', 'MSE', 'mean residual']) assert.ok(groups.includes(text), text);
    assert.ok(readFileSync(join(folder, 'charts', 'run-curves.svg'), 'utf8').includes('validation RMSE'));
    assert.match(readFileSync(join(folder, 'report.md'), 'utf8'), /\| mseDifference \| \d+\.\d{4} \|/);
  });

  test('a damaged metrics.json is one clear line naming the file, and no report is written', async () => {
    const folder = join(root, 'damaged');
    const train = await fairkitInProcess('train', '--epochs', '1', '--hidden', '4', '--out', folder);
    assert.equal(train.status, 0, train.stderr);
    const metrics = JSON.parse(readFileSync(join(folder, 'metrics.json'), 'utf8'));
    delete metrics.test.groups;
    writeFileSync(join(folder, 'metrics.json'), JSON.stringify(metrics));
    const report = await fairkitInProcess('report', folder);
    assert.notEqual(report.status, 0);
    assert.match(report.stderr.trim(), /^fairkit: .*metrics\.json: unexpected content at test\.groups/);
    assert.equal(report.stderr.trim().split('\n').length, 1);
    assert.ok(!existsSync(join(folder, 'report.html')));
  });
});
