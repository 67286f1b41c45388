import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { prepareDataset, type PreparedSplits } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import { initBackend } from '../nn/backend.js';
import { predictHead, predictProba } from '../nn/predict.js';
import { classificationOutcome, trainAndEvaluate } from '../pipeline/train-and-evaluate.js';
import { outputsOn } from './evaluation.js';
import type { TrainingOptionsInput } from './options.js';

const options: TrainingOptionsInput = { epochs: 2, batchSize: 200, learningRate: 0.01, hidden: [8], progress: 'silent', seed: 3 };

describe('test outputs: scores and logits from one pass, and meanLogitGap in the test report', () => {
  let data: PreparedSplits;
  before(async () => {
    await initBackend();
    data = prepareDataset(generateSynthetic({ rows: 2000, seed: 5 }), { seed: 5 });
  });

  test('the scores equal predictProba\'s bit for bit, the logits equal the logits head', () => {
    const outcome = trainAndEvaluate({ prepared: data, method: 'erm', params: {}, options });
    const rows = { X: data.test.X, nRows: data.test.nRows, groups: data.test.groups.ids };
    const { scores, logits } = outputsOn(outcome.fitted.model, data.test, 97);
    assert.deepEqual(scores, predictProba(outcome.fitted.model, rows, { batchSize: 97 }));
    assert.deepEqual(logits, predictHead(outcome.fitted.model, rows, { batchSize: 97 }));
    outcome.fitted.model.dispose();
  });

  test('trainAndEvaluate reports meanLogitGap, the gap of the test logits\' group means', () => {
    const outcome = classificationOutcome(trainAndEvaluate({ prepared: data, method: 'erm', params: {}, options }));
    const logits = outputsOn(outcome.fitted.model, data.test).logits!;
    const sums = [0, 0];
    const counts = [0, 0];
    data.test.groups.ids.forEach((g, i) => {
      sums[g] += logits[i];
      counts[g]++;
    });
    const expected = Math.abs(sums[0] / counts[0] - sums[1] / counts[1]);
    const got = outcome.test.fairness.meanLogitGap!;
    assert.ok(expected > 0.1 && Math.abs(got - expected) < 1e-9, `${got} vs ${expected}`);
    outcome.fitted.model.dispose();
  });

  test('projection: meanLogitGap of the projected test split is within epsilon; strict-penalty shrinks it far below erm\'s', () => {
    const erm = classificationOutcome(trainAndEvaluate({ prepared: data, method: 'erm', params: {}, options }));
    const projected = classificationOutcome(trainAndEvaluate({ prepared: data, method: 'projection', params: { epsilon: 0.02 }, options }));
    const strict = classificationOutcome(trainAndEvaluate({ prepared: data, method: 'strict-penalty', params: {}, options }));
    const gap = (o: typeof erm) => o.test.fairness.meanLogitGap!;
    assert.ok(gap(projected) <= 0.02 + 1e-5, `projection ${gap(projected)}`);
    assert.ok(gap(strict) < gap(erm) / 5, `strict-penalty ${gap(strict)} vs erm ${gap(erm)}`);
    for (const o of [erm, projected, strict]) o.fitted.model.dispose();
  });
});
