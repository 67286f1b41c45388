import cliProgress from 'cli-progress';
import { trialLabel } from './trial.js';
/**
 * Progress of a bench run on stderr: a bar with ETA on a terminal, else one line per finished trial with the
 * ETA (logs and CI). The ETA is the mean time per finished trial so far times the trials left.
 */
export function createBenchProgress(mode, stream = process.stderr) {
    const resolved = mode === 'auto' ? (stream.isTTY ? 'bar' : 'lines') : mode;
    if (resolved === 'silent')
        return { start: () => { }, finished: () => { }, failed: () => { }, stop: () => { } };
    return resolved === 'bar' ? barProgress(stream) : lineProgress(stream);
}
function summary(trial, result) {
    const accuracy = result.test.overall.accuracy;
    const gap = result.test.fairness.equalizedOddsSum;
    const number = (value) => (typeof value === 'number' ? value.toFixed(3) : '—');
    return `${trial.dataset} ${trialLabel(trial)}: accuracy ${number(accuracy)}, ΔEO ${number(gap)} (${result.trainSeconds.toFixed(1)} s)`;
}
export function formatDuration(seconds) {
    if (!Number.isFinite(seconds))
        return '?';
    const s = Math.round(seconds);
    return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
function lineProgress(stream) {
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
        stop: () => { },
    };
}
function barProgress(stream) {
    const bar = new cliProgress.SingleBar({ stream, format: 'bench |{bar}| {value}/{total} trials | ETA {eta_formatted} | {last}', hideCursor: true, clearOnComplete: false, etaBuffer: 20 }, cliProgress.Presets.shades_classic);
    const failures = [];
    return {
        start: (total) => bar.start(total, 0, { last: '' }),
        finished: (trial, result) => bar.increment({ last: summary(trial, result) }),
        failed: (trial, message) => {
            failures.push(`FAILED ${trial.dataset} ${trialLabel(trial)}: ${message}`);
            bar.increment({ last: `FAILED ${trialLabel(trial)}` });
        },
        stop: () => {
            bar.stop();
            for (const failure of failures)
                stream.write(`${failure}\n`);
        },
    };
}
//# sourceMappingURL=progress.js.map