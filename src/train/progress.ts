import cliProgress from 'cli-progress';
import type { EpochReport, TrainingCallback } from './callbacks.js';

export interface ProgressReporter {
  epochEnd(report: EpochReport): void;
  stop(): void;
}

/** Progress as a training callback. */
export function progressCallback(mode: ProgressMode, epochs: number): TrainingCallback {
  let reporter: ProgressReporter | undefined;
  return {
    onTrainBegin: () => {
      reporter = createProgress(mode, epochs);
    },
    onEpochEnd: (report) => reporter?.epochEnd(report),
    onTrainEnd: () => reporter?.stop(),
  };
}

export type ProgressMode = 'auto' | 'bar' | 'jsonl' | 'silent';

/**
 * A progress bar with ETA when stderr is a terminal, one JSON object per epoch otherwise (so that logs
 * and CI stay machine-readable). Progress goes to stderr; stdout is kept for results.
 */
export function createProgress(mode: ProgressMode, epochs: number, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const resolved = mode === 'auto' ? (stream.isTTY ? 'bar' : 'jsonl') : mode;
  if (resolved === 'silent') return { epochEnd: () => {}, stop: () => {} };
  if (resolved === 'jsonl') {
    return {
      epochEnd: (report) => stream.write(`${JSON.stringify({ event: 'epoch', ...report })}\n`),
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: 'training |{bar}| epoch {value}/{total} | loss {loss} | {metric} | ETA {eta_formatted}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(epochs, 0, { loss: '-', metric: '' });
  return {
    epochEnd: (report) => {
      const metric = report.validation ? Object.entries(report.validation).slice(0, 2).map(([key, value]) => `val ${key} ${value === null ? '—' : value.toFixed(3)}`).join(' ') : '';
      bar.update(report.epoch, { loss: report.loss.toFixed(4), metric });
    },
    stop: () => bar.stop(),
  };
}
