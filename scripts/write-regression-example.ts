/**
 * Writes examples/synthetic-grades.csv: the shipped example for `fairkit audit --task regression`.
 *
 *   npx tsx scripts/write-regression-example.ts          # (re)writes the file
 *   npx tsx scripts/write-regression-example.ts --check  # exits 1 if the file differs from what it would write
 *
 * 400 students of two schools (urban 70 %, rural 30 %). A grade (0–100) depends on study hours and the prior
 * grade alike in both schools; `predicted_grade` comes from a model that saw mostly urban students, so for rural
 * students it under-predicts by 3–4 points and is noisier (a larger MSE and a negative mean residual). Every
 * number comes from fairkit's seeded Rng, so the file is the same on every machine.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/rng.js';

const ROWS = 400;
const SEED = 20250611;
const PATH = fileURLToPath(new URL('../examples/synthetic-grades.csv', import.meta.url));

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

export function syntheticGradesCsv(): string {
  const rng = new Rng(SEED);
  const lines = ['id,school,sex,study_hours,prior_grade,grade,predicted_grade'];
  for (let id = 1; id <= ROWS; id++) {
    const rural = rng.uniform() < 0.3;
    const sex = rng.uniform() < 0.5 ? 'F' : 'M';
    const studyHours = clamp(8 + 3 * rng.normal() - (rural ? 1 : 0), 0, 20);
    const priorGrade = clamp(65 + 10 * rng.normal(), 20, 100);
    const grade = clamp(20 + 1.5 * studyHours + 0.55 * priorGrade + 5 * rng.normal(), 0, 100);
    // The model's error: small and centred for urban students; biased down and wider for rural ones.
    const error = rural ? -4 + 6 * rng.normal() : 3.5 * rng.normal();
    const predicted = clamp(grade + error, 0, 100);
    lines.push([id, rural ? 'rural' : 'urban', sex, studyHours.toFixed(1), priorGrade.toFixed(0), grade.toFixed(1), predicted.toFixed(1)].join(','));
  }
  return `${lines.join('\n')}\n`;
}

const text = syntheticGradesCsv();
if (process.argv.includes('--check')) {
  const same = readFileSync(PATH, 'utf8') === text;
  process.stdout.write(same ? `${PATH} is up to date\n` : `${PATH} differs from what the script writes\n`);
  process.exitCode = same ? 0 : 1;
} else {
  writeFileSync(PATH, text);
  process.stdout.write(`wrote ${ROWS} rows to ${PATH}\n`);
}
