/** The scikit-learn/scipy regression fixture cases (written by scripts/fixtures/regression_metrics.py), for tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface RegressionCase {
  name: string;
  yTrue: number[];
  yPred: number[];
  weights?: number[];
  groupIds: number[];
  keys: string[];
  values: Record<string, string>[];
  expected: { overall: Record<string, number | null>; groups: Record<string, unknown>[]; fairness: Record<string, number | null> };
}

// The JSON lives in src/ (tests run from dist/).
const fixturePath = fileURLToPath(new URL('../../src/metrics/fixtures/regression.json', import.meta.url));

export const regressionCases = (JSON.parse(readFileSync(fixturePath, 'utf8')) as { cases: RegressionCase[] }).cases;
