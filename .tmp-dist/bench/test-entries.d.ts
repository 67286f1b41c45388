import { type JournalEntry, type TrialSpec } from './trial.js';
interface FakeMetrics {
    accuracy: number;
    ap: number;
    dp: number;
    eo: number;
    /** Per group [selection rate, tpr, fpr]. */
    groups?: Record<string, [number, number, number]>;
}
/**
 * A journal entry with made-up test metrics, for tests of the journal, the aggregation and the report that
 * need no training. Every key the aggregation and charts read is present.
 */
export declare function fakeEntry(spec: Partial<TrialSpec>, metrics: FakeMetrics, extra?: Record<string, unknown>): JournalEntry;
export {};
