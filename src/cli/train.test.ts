import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { fairkitInProcess } from './run-cli.test-helper.js';

const folder = mkdtempSync(join(tmpdir(), 'fairkit-train-'));
const example = fileURLToPath(new URL('../../examples/synthetic-loans.csv', import.meta.url));
const auditKeys = ['demographicParityDifference', 'demographicParityRatio', 'equalizedOddsDifference', 'equalizedOddsRatio', 'equalizedOddsSum', 'equalOpportunityDifference', 'equalOpportunityRatio', 'tprStd', 'fprStd'];

describe('fairkit train, predict and methods', () => {
  const modelDir = join(folder, 'model');

  test('train on a CSV prints one JSON summary with the audit keys and saves model and metrics', async () => {
    const run = await fairkitInProcess('train', '--dataset', example, '--target', 'approved', '--sensitive', 'group', '--drop', 'id,score,decision', '--epochs', '3', '--batch-size', '200', '--lr', '0.01', '--hidden', '16', '--seed', '4', '--out', modelDir, '--format', 'json');
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(summary), ['dataset', 'sensitive', 'method', 'params', 'seed', 'epochs', 'trainSeconds', 'secondsPerEpoch', 'test']);
    assert.equal(summary.epochs, 3);
    for (const key of auditKeys) assert.ok(key in summary.test.fairness, key);
    assert.ok(summary.test.overall.ap > 0.6, `AP ${summary.test.overall.ap}`);
    assert.deepEqual(summary.test.groups.map((g: { key: string }) => g.key), ['majority', 'minority']);
    for (const file of ['model.json', 'weights.bin', 'metrics.json']) assert.ok(existsSync(join(modelDir, file)), file);
    const metrics = JSON.parse(readFileSync(join(modelDir, 'metrics.json'), 'utf8'));
    assert.equal(metrics.history.length, 3);
    assert.deepEqual(metrics.test, summary.test);
    const saved = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8'));
    assert.equal(saved.formatVersion, 2);
    assert.deepEqual(saved.method.name, 'erm');
    assert.deepEqual(saved.groups, { attributes: ['group'], keys: ['majority', 'minority'] });
    assert.equal(saved.clusters, undefined);
    assert.deepEqual([saved.provenance.dataset, saved.provenance.split, saved.provenance.trainingSeed], [example, { fractions: [0.6, 0.2, 0.2], seed: 4 }, 4]);
  });

  test('--clusters saves the cluster keys (not a feature), and predict reports rows of an unseen cluster', async () => {
    const out = join(folder, 'clustered');
    const run = await fairkitInProcess('train', '--dataset', example, '--target', 'approved', '--sensitive', 'group', '--drop', 'id,score,decision', '--clusters', 'region', '--epochs', '1', '--hidden', '8', '--out', out, '--format', 'json');
    assert.equal(run.status, 0, run.stderr);
    const saved = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    assert.deepEqual(saved.clusters, { column: 'region', keys: ['east', 'north', 'south'] });
    assert.equal(saved.provenance.spec.cluster, 'region');
    assert.ok(!saved.encoder.categorical.some((column: { name: string }) => column.name === 'region'), 'region is the cluster id, not a one-hot feature');
    const [header, ...rows]: string[][] = parse(readFileSync(example));
    const column = header.indexOf('region');
    const input = join(folder, 'new-regions.csv');
    writeFileSync(input, stringify([header, ...rows.map((row, r) => row.map((value, i) => (i === column && r % 4 === 0 ? 'west' : value)))]));
    const predicted = await fairkitInProcess('predict', input, '--model', out, '--out', join(folder, 'new-regions-scored.csv'), '--score-column', 's');
    assert.equal(predicted.status, 0, predicted.stderr);
    assert.match(predicted.stderr, new RegExp(`note: ${rows.length / 4} rows have a cluster not seen in training \\(or none\\) and are predicted as an unseen cluster \\(id -1\\)`));
    assert.doesNotMatch(predicted.stderr, /sensitive/, 'erm needs no groups, so no group note');
  });

  test('--track-contribution writes the contribution disparity of every step for both labels into the run folder', async () => {
    const out = join(folder, 'tracked');
    const run = await fairkitInProcess('train', '--dataset', example, '--target', 'approved', '--sensitive', 'group', '--drop', 'id,score,decision', '--epochs', '2', '--batch-size', '300', '--hidden', '8', '--out', out, '--track-contribution', '--format', 'json');
    assert.equal(run.status, 0, run.stderr);
    const recorded = JSON.parse(readFileSync(join(out, 'contribution.json'), 'utf8')) as { groups: string[]; reference: number; records: { step: number; y: number; group: number; overall: number; perLayer: Record<string, number> }[] };
    assert.deepEqual(recorded.groups, ['majority', 'minority']);
    const steps = new Set(recorded.records.map((record) => record.step));
    const rows = readFileSync(example, 'utf8').trim().split('\n').length - 1;
    assert.equal(steps.size, 2 * Math.ceil(Math.round(rows * 0.6) / 300), 'one step per batch, two epochs');
    assert.deepEqual([...new Set(recorded.records.map((record) => record.y))].sort(), [0, 1]);
    for (const record of recorded.records) {
      assert.notEqual(record.group, recorded.reference);
      assert.ok(record.overall > 0 && Number.isFinite(record.overall), `step ${record.step}: ${record.overall}`);
      assert.deepEqual(Object.keys(record.perLayer), ['dense0', 'dense1']);
    }
    const without = await fairkitInProcess('train', '--dataset', example, '--target', 'approved', '--sensitive', 'group', '--epochs', '1', '--track-contribution');
    assert.notEqual(without.status, 0);
    assert.match(without.stderr, /--track-contribution .* needs --out/);
  });

  test('predict adds score and prediction columns and keeps every input field as written', async () => {
    const out = join(folder, 'scored.csv');
    const run = await fairkitInProcess('predict', example, '--model', modelDir, '--out', out, '--score-column', 'fair_score', '--prediction-column', 'fair_decision', '--threshold', '0.4');
    assert.equal(run.status, 0, run.stderr);
    const input: string[][] = parse(readFileSync(example));
    const output: string[][] = parse(readFileSync(out));
    assert.equal(output.length, input.length);
    assert.deepEqual(output[0], [...input[0], 'fair_score', 'fair_decision', 'note']);
    for (let i = 1; i < input.length; i++) {
      assert.deepEqual(output[i].slice(0, -3), input[i]);
      const score = Number(output[i].at(-3));
      assert.ok(score >= 0 && score <= 1);
      assert.equal(output[i].at(-2), score >= 0.4 ? '1' : '0');
      assert.equal(output[i].at(-1), '', 'nothing to say about a complete row');
    }
    assert.equal(run.stderr, `scored 2000 of 2000 rows (0 flagged, 0 refused; policy flag) with the erm model; wrote ${out}\n`);
  });

  test('predict refuses a file without the model\'s columns, and writes nothing', async () => {
    const out = join(folder, 'never.csv');
    const run = await fairkitInProcess('predict', join(folder, '..', 'missing-file.csv'), '--model', modelDir, '--out', out);
    assert.notEqual(run.status, 0);
    assert.ok(!existsSync(out));
    const wrongModel = await fairkitInProcess('predict', example, '--model', join(folder, 'no-model'), '--out', out);
    assert.notEqual(wrongModel.status, 0);
    assert.match(wrongModel.stderr, /model\.json/);
    assert.ok(!existsSync(out));
  });

  test('predict gives a GroupMixNorm model each row\'s training group, and falls back to all groups\' statistics without one', async () => {
    const modelDir = join(folder, 'gmn');
    // The group is the sensitive attribute but not an input, so only the GroupMixNorm statistics can depend on it.
    const train = await fairkitInProcess('train', '--dataset', example, '--target', 'approved', '--sensitive', 'group', '--drop', 'id,score,decision,group', '--method', 'groupmixnorm', '--epochs', '3', '--batch-size', '200', '--hidden', '16', '--out', modelDir, '--format', 'json');
    assert.equal(train.status, 0, train.stderr);
    const [header, ...rows]: string[][] = parse(readFileSync(example));
    const column = header.indexOf('group');
    const variants = {
      asIs: rows,
      swapped: rows.map((row) => row.map((value, i) => (i !== column ? value : value === 'majority' ? 'minority' : 'majority'))),
      unseen: rows.map((row) => row.map((value, i) => (i === column ? 'unknown' : value))),
      noGroup: rows.map((row) => row.filter((_, i) => i !== column)),
      blanks: rows.map((row, r) => row.map((value, i) => (i === column && r % 10 === 0 ? '' : value))),
      // The group column first, right after a byte-order mark.
      bom: rows.map((row) => [row[column], ...row.filter((_, i) => i !== column)]),
    };
    const headerOf = (name: string) => (name === 'noGroup' ? header.filter((_, i) => i !== column) : name === 'bom' ? [header[column], ...header.filter((_, i) => i !== column)] : header);
    const scores: Record<string, number[]> = {};
    const notes: Record<string, string> = {};
    for (const [name, body] of Object.entries(variants)) {
      const input = join(folder, `gmn-${name}.csv`);
      const output = join(folder, `gmn-${name}-scored.csv`);
      writeFileSync(input, (name === 'bom' ? '\ufeff' : '') + stringify([headerOf(name), ...body]));
      const run = await fairkitInProcess('predict', input, '--model', modelDir, '--out', output, '--score-column', 'gmn_score');
      assert.equal(run.status, 0, run.stderr);
      notes[name] = run.stderr;
      scores[name] = (parse(readFileSync(output)) as string[][]).slice(1).map((row) => Number(row.at(-3)));
    }
    const changed = scores.asIs.filter((score, i) => score !== scores.swapped[i]).length;
    assert.ok(changed > rows.length * 0.9, `only ${changed} of ${rows.length} scores depend on the group`);
    assert.deepEqual(scores.unseen, scores.noGroup, 'an unseen group and no group both use the statistics of all groups');
    assert.notDeepEqual(scores.asIs, scores.noGroup);
    assert.deepEqual(scores.bom, scores.asIs, 'a byte-order mark does not hide the first column');
    assert.deepEqual(scores.blanks, scores.asIs.map((score, r) => (r % 10 === 0 ? scores.noGroup[r] : score)), 'an empty group cell falls back, the other rows keep their group');
    assert.match(notes.blanks, /note: 200 rows have an empty sensitive value/);
    assert.doesNotMatch(notes.asIs, /note:/);
    assert.match(notes.unseen, /note: 2000 rows belong to groups not seen in training/);
    assert.match(notes.noGroup, /note: the file has no sensitive column group, so every row is normalised with the statistics of all training groups/);
  });

  test('bad requests fail before training with one clear line', async () => {
    const cases: [string[], RegExp][] = [
      [['--method', 'nonsense'], /unknown method 'nonsense'.*Known methods: erm/],
      [['--param', 'lambda=1'], /method 'erm': bad parameter 'lambda'/],
      [['--dataset', 'nowhere'], /unknown data set 'nowhere'/],
      [['--sensitive', 'colour'], /unknown column 'colour'/],
      [['--clusters', 'colour'], /unknown column 'colour'/],
      [['--out', join(example, 'inside-a-file')], /--out: output folder .* cannot be created/],
    ];
    for (const [args, message] of cases) {
      const run = await fairkitInProcess('train', '--epochs', '1', ...args);
      assert.notEqual(run.status, 0, args.join(' '));
      assert.equal(run.stdout, '');
      assert.match(run.stderr.trim(), message);
      assert.doesNotMatch(run.stderr, /"event":"epoch"/, 'no training started');
    }
  });

  test('methods lists every method with its parameters and defaults', async () => {
    const run = await fairkitInProcess('methods', '--format', 'json');
    assert.equal(run.status, 0, run.stderr);
    const methods = JSON.parse(run.stdout) as { name: string; params: { name: string; default: unknown }[] }[];
    assert.ok(methods.some((method) => method.name === 'erm'));
    for (const method of methods) for (const param of method.params) assert.notEqual(param.default, undefined, `${method.name}.${param.name}`);
  });

  test('--task regression trains on a numeric target, reports regression metrics, and predict writes values on the target\'s scale', async () => {
    const grades = fileURLToPath(new URL('../../examples/synthetic-grades.csv', import.meta.url));
    const out = join(folder, 'regression');
    const run = await fairkitInProcess('train', '--dataset', grades, '--task', 'regression', '--target', 'grade', '--sensitive', 'school', '--drop', 'id,predicted_grade', '--method', 'penalty', '--epochs', '40', '--batch-size', '64', '--lr', '0.01', '--hidden', '16', '--out', out, '--format', 'json');
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    for (const key of ['mse', 'rmse', 'mae', 'r2', 'meanPrediction', 'meanResidual']) assert.ok(key in summary.test.overall, key);
    for (const key of ['mseDifference', 'meanPredictionDifference', 'meanResidualDifference', 'ksDistance']) assert.ok(key in summary.test.fairness, key);
    assert.ok(summary.test.overall.r2 > 0.5, `r2 ${summary.test.overall.r2}`);
    const saved = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    assert.ok(saved.targetScale.std > 0 && saved.provenance.spec.task === 'regression');
    const predictions = join(folder, 'grades-predicted.csv');
    assert.equal((await fairkitInProcess('predict', '--model', out, grades, '--out', predictions)).status, 0);
    const rows = parse(readFileSync(predictions, 'utf8'), { columns: true }) as Record<string, string>[];
    assert.ok(!('score' in rows[0]), 'no probability score for a regression model');
    const errors = rows.map((row) => Number(row.prediction) - Number(row.grade));
    const rmse = Math.sqrt(errors.reduce((sum, e) => sum + e * e, 0) / errors.length);
    assert.ok(rmse < 2 * summary.test.overall.rmse && rmse > 0.2 * summary.test.overall.rmse, `predicted rmse ${rmse} vs test ${summary.test.overall.rmse}`);
    const classifier = await fairkitInProcess('train', '--dataset', grades, '--task', 'regression', '--target', 'grade', '--sensitive', 'school', '--method', 'eor', '--epochs', '1');
    assert.notEqual(classifier.status, 0);
    assert.match(classifier.stderr, /method 'eor' does not support regression.*Methods that do: erm, reweigh, penalty, strict-penalty, flayer, projection/s);
    assert.match((await fairkitInProcess('train', '--dataset', grades, '--task', 'regression', '--target', 'grade', '--positive', '80', '--sensitive', 'school')).stderr, /--positive names a class, but the task is regression/);
    const huber = await fairkitInProcess('train', '--dataset', grades, '--task', 'regression', '--target', 'grade', '--sensitive', 'school', '--drop', 'id,predicted_grade', '--regression-loss', 'huber', '--huber-delta', '0.5', '--epochs', '2', '--batch-size', '64', '--format', 'json');
    assert.equal(huber.status, 0, huber.stderr);
    assert.notDeepEqual(JSON.parse(huber.stdout).test.overall, JSON.parse((await fairkitInProcess('train', '--dataset', grades, '--task', 'regression', '--target', 'grade', '--sensitive', 'school', '--drop', 'id,predicted_grade', '--epochs', '2', '--batch-size', '64', '--format', 'json')).stdout).test.overall, 'the Huber loss trains another model than MSE');
  });

  test('predict --batch-size: a flayer model projects each prediction batch; one batch of every row is within epsilon', async () => {
    const out = join(folder, 'flayer');
    const train = await fairkitInProcess('train', '--dataset', example, '--target', 'approved', '--sensitive', 'group', '--drop', 'id,score,decision', '--method', 'flayer', '--param', 'epsilon=0.02', '--epochs', '3', '--batch-size', '200', '--lr', '0.01', '--hidden', '16', '--out', out);
    assert.equal(train.status, 0, train.stderr);
    const scored = async (batchSize: string) => {
      const file = join(folder, `flayer-${batchSize}.csv`);
      const run = await fairkitInProcess('predict', '--model', out, example, '--out', file, '--batch-size', batchSize, '--score-column', 'p', '--prediction-column', 'decided');
      assert.equal(run.status, 0, run.stderr);
      return parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    };
    const gap = (rows: Record<string, string>[]) => {
      const logit = (p: number) => Math.log(p / (1 - p));
      const mean = (group: string) => {
        const of = rows.filter((row) => row.group === group).map((row) => logit(Number(row.p)));
        return of.reduce((a, b) => a + b, 0) / of.length;
      };
      return Math.abs(mean('majority') - mean('minority'));
    };
    const whole = await scored('100000');
    assert.ok(gap(whole) <= 0.02 + 1e-4, `gap over one batch of every row ${gap(whole)}`);
    assert.notDeepEqual((await scored('7')).map((row) => row.p), whole.map((row) => row.p), 'small batches are projected each on its own');
  });
});

