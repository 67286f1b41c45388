import cliProgress from 'cli-progress';
import { taskOfResult, trialLabel, type Trial, type TrialResult } from './trial.js';

export interface BenchProgress {
  start(total: number): void;
  finished(trial: Trial, result: TrialResult): void;
  failed(trial: Trial, message: string): void;
  stop(): void;
}

export type BenchProgressMode = 'auto' | 'bar' | 'lines' | 'silent';

/**
 * Progress of a bench run on stderr: a bar with ETA on a terminal, else one line per finished trial with the
 * ETA (logs and CI). The ETA is the mean time per finished trial so far times the trials left.
 */
export function createBenchProgress(mode: BenchProgressMode, stream: NodeJS.WriteStream = process.stderr): BenchProgress {
  const resolved = mode === 'auto' ? (stream.isTTY ? 'bar' : 'lines') : mode;
  if (resolved === 'silent') return { start: () => {}, finished: () => {}, failed: () => {}, stop: () => {} };
  return resolved === 'bar' ? barProgress(stream) : lineProgress(stream);
}

/** The trial's headline numbers: accuracy and ΔEO, or for regression RMSE and the group MSE gap. */
function summary(trial: Trial, result: TrialResult): string {
  const number = (value: unknown) => (typeof value === 'number' ? value.toFixed(3) : '—');
  const { overall, fairness } = result.test;
  const numbers = taskOfResult(result) === 'regression'
    ? `RMSE ${number(overall.rmse)}, ΔMSE ${number(fairness.mseDifference)}`
    : `accuracy ${number(overall.accuracy)}, ΔEO ${number(fairness.equalizedOddsSum)}`;
  return `${trial.dataset} ${trialLabel(trial)}: ${numbers} (${result.trainSeconds.toFixed(1)} s)`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function lineProgress(stream: NodeJS.WriteStream): BenchProgress {
  let total = 0;
  let done = 0;
  let started = 0;
  const eta = () => formatDuration(((performance.now() - started) / 1000 / done) * (total - done));
  return {
    start: (count) => {
      total = count;
      started = performance.now();
    },
    finished: (trial, result) => {
      done++;
      stream.write(`[${done}/${total}] ${summary(trial, result)}; ETA ${eta()}\n`);
    },
    failed: (trial, message) => {
      done++;
      stream.write(`[${done}/${total}] FAILED ${trial.dataset} ${trialLabel(trial)}: ${message}\n`);
    },
    stop: () => {},
  };
}

function barProgress(stream: NodeJS.WriteStream): BenchProgress {
  const bar = new cliProgress.SingleBar(
    { stream, format: 'bench |{bar}| {value}/{total} trials | ETA {eta_formatted} | {last}', hideCursor: true, clearOnComplete: false, etaBuffer: 20 },
    cliProgress.Presets.shades_classic,
  );
  const failures: string[] = [];
  return {
    start: (total) => bar.start(total, 0, { last: '' }),
    finished: (trial, result) => bar.increment({ last: summary(trial, result) }),
    failed: (trial, message) => {
      failures.push(`FAILED ${trial.dataset} ${trialLabel(trial)}: ${message}`);
      bar.increment({ last: `FAILED ${trialLabel(trial)}` });
    },
    stop: () => {
      bar.stop();
      for (const failure of failures) stream.write(`${failure}\n`);
    },
  };
}
