/**
 * What the server tells about itself: the running fairness report (GET /v1/fairness) from the serve state, and the
 * Prometheus text (GET /metrics) with request counts and a latency histogram kept in memory by this process.
 */
import type { FairStream } from '../stream/index.js';
import type { ServeState } from './serve-state.js';

export interface GroupReport {
  group: string;
  rows: number;
  /** Share of rows decided 1 (null: no rows, or regression). */
  positiveRate: number | null;
  meanAdjusted: number | null;
  labelled: number;
  /** Among labelled rows: decided 1 given label 1, decided 1 given label 0 (null: no such labels). */
  tpr: number | null;
  fpr: number | null;
}

export interface FairnessReport {
  rows: number;
  predictRequests: number;
  outcomeRequests: number;
  groups: GroupReport[];
  /** Largest minus smallest over the groups that have a value (null: fewer than two). */
  gaps: { positiveRate: number | null; meanAdjusted: number | null; tpr: number | null; fpr: number | null };
  /** The online stream's dual state and its bound (null for models without one); gaps in logits. */
  stream: { epsilon: number; eta0: number; lambda: number; lambdaMax: number; batches: number; rows: number; weightedAverageGap: number; pooledGap: number; bound: number | null } | null;
}

const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : null);

function spread(values: (number | null)[]): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length < 2 ? null : Math.max(...present) - Math.min(...present);
}

export function fairnessReport(state: ServeState, groupKeys: readonly string[], regression: boolean, stream: FairStream | null): FairnessReport {
  const g = state.groups;
  const groups = groupKeys.map((group, i): GroupReport => ({
    group,
    rows: g.rows[i],
    positiveRate: regression ? null : ratio(g.positives[i], g.rows[i]),
    meanAdjusted: ratio(g.adjustedSum[i], g.rows[i]),
    labelled: g.labelPositives[i] + g.labelNegatives[i],
    tpr: ratio(g.truePositives[i], g.labelPositives[i]),
    fpr: ratio(g.falsePositives[i], g.labelNegatives[i]),
  }));
  const pick = (key: 'positiveRate' | 'meanAdjusted' | 'tpr' | 'fpr') => spread(groups.map((group) => group[key]));
  const report = stream?.report();
  return {
    rows: state.rows,
    predictRequests: state.predictRequests,
    outcomeRequests: state.outcomeRequests,
    groups,
    gaps: { positiveRate: pick('positiveRate'), meanAdjusted: pick('meanAdjusted'), tpr: pick('tpr'), fpr: pick('fpr') },
    // JSON has no Infinity: the bound before any row is null.
    stream: stream && report ? { epsilon: stream.epsilon, eta0: stream.eta0, ...report, bound: Number.isFinite(report.bound) ? report.bound : null } : null,
  };
}

/** Upper bounds of the latency histogram, in seconds. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

interface RouteStats {
  counts: Map<number, number>;
  buckets: number[];
  sum: number;
  total: number;
}

export class RequestMetrics {
  private readonly routes = new Map<string, RouteStats>();

  record(route: string, status: number, seconds: number): void {
    let stats = this.routes.get(route);
    if (!stats) this.routes.set(route, (stats = { counts: new Map(), buckets: new Array<number>(BUCKETS.length).fill(0), sum: 0, total: 0 }));
    stats.counts.set(status, (stats.counts.get(status) ?? 0) + 1);
    BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) stats.buckets[i]++;
    });
    stats.sum += seconds;
    stats.total++;
  }

  /** Prometheus text exposition format 0.0.4. */
  render(report: FairnessReport, writes: number | null): string {
    const lines: string[] = [];
    const family = (name: string, type: string, help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    const label = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
    family('fairkit_http_requests_total', 'counter', 'HTTP requests answered by this process, by route and status.');
    for (const [route, stats] of this.routes) for (const [status, n] of stats.counts) lines.push(`fairkit_http_requests_total{route="${label(route)}",status="${status}"} ${n}`);
    family('fairkit_http_request_duration_seconds', 'histogram', 'Time from receiving a request to answering it.');
    for (const [route, stats] of this.routes) {
      BUCKETS.forEach((bound, i) => lines.push(`fairkit_http_request_duration_seconds_bucket{route="${label(route)}",le="${bound}"} ${stats.buckets[i]}`));
      lines.push(`fairkit_http_request_duration_seconds_bucket{route="${label(route)}",le="+Inf"} ${stats.total}`);
      lines.push(`fairkit_http_request_duration_seconds_sum{route="${label(route)}"} ${stats.sum}`, `fairkit_http_request_duration_seconds_count{route="${label(route)}"} ${stats.total}`);
    }
    family('fairkit_rows_scored_total', 'counter', 'Rows scored since the state began (persisted).');
    lines.push(`fairkit_rows_scored_total ${report.rows}`);
    if (writes !== null) {
      family('fairkit_state_writes_total', 'counter', 'Durable state writes by this process (one per group commit).');
      lines.push(`fairkit_state_writes_total ${writes}`);
    }
    family('fairkit_group_rows', 'gauge', 'Rows scored per group.');
    for (const group of report.groups) lines.push(`fairkit_group_rows{group="${label(group.group)}"} ${group.rows}`);
    family('fairkit_gap', 'gauge', 'Largest minus smallest group value of a running metric.');
    for (const [metric, value] of Object.entries(report.gaps)) if (value !== null) lines.push(`fairkit_gap{metric="${metric}"} ${value}`);
    if (report.stream) {
      const s = report.stream;
      family('fairkit_stream_lambda', 'gauge', "The online stream's dual variable λ.");
      lines.push(`fairkit_stream_lambda ${s.lambda}`);
      family('fairkit_stream_weighted_average_gap', 'gauge', 'Row-weighted average of the per-batch gaps (logits); bounded by fairkit_stream_bound.');
      lines.push(`fairkit_stream_weighted_average_gap ${s.weightedAverageGap}`);
      if (s.bound !== null) {
        family('fairkit_stream_bound', 'gauge', 'epsilon + lambda_max / (eta_T * N): the guarantee on the weighted average gap.');
        lines.push(`fairkit_stream_bound ${s.bound}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}
