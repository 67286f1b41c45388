/**
 * Everything `fairkit serve` must not forget: the ids handed out, the online stream (F-Layer and projection models),
 * the per-group running tallies of decisions and of the labels posted later, and the predictions still waiting for
 * a label. It is one small JSON document (validated with zod when read back), so a restart resumes exactly.
 */
import { z } from 'zod';
import { FairkitError } from '../errors.js';
import { FairStream } from '../stream/index.js';
import type { FairStreamJson } from '../stream/index.js';
import type { FairStreamState } from '../stream/fair-stream.js';

/** Per group (index = the model's group id): running counts of decisions and of labelled outcomes. */
export interface GroupTallies {
  rows: number[];
  /** Rows with decision 1. */
  positives: number[];
  /** Sum of the adjusted outputs (probabilities, or regression values). */
  adjustedSum: number[];
  /** Labelled rows with label 1, and those of them decided 1. */
  labelPositives: number[];
  truePositives: number[];
  /** Labelled rows with label 0, and those of them decided 1. */
  labelNegatives: number[];
  falsePositives: number[];
}

/** A scored row waiting for its label: its group id (-1: none) and its decision (null: none). */
export type PendingRow = readonly [group: number, decision: 0 | 1 | null];

export interface ServeStateJson {
  format: 'fairkit-serve-state';
  version: 1;
  /** The weights' SHA-256: a state folder belongs to one model. */
  model: string;
  /** The next row id predict hands out (ids start at 1). */
  nextId: number;
  /** Acknowledged state-changing requests. */
  predictRequests: number;
  outcomeRequests: number;
  rows: number;
  stream: FairStreamJson | null;
  groups: GroupTallies;
  /** [id, group, decision], oldest first. */
  pending: [number, number, 0 | 1 | null][];
}

/** A scored row's effect: [group (-1: none), decision (null: none), adjusted output]; null for a row refused on its values. */
export type RowEffect = [group: number, decision: 0 | 1 | null, adjusted: number] | null;

/**
 * One request's change of state, as the write-ahead log keeps it: replaying it on the state before the request gives
 * the state after it, exactly (the stream's state is stored, not recomputed).
 */
export type StateChange = { rows: RowEffect[]; stream: FairStreamState | null } | { outcomes: [id: number, label: 0 | 1][] };

const count = z.number().int().nonnegative();
const decision = z.union([z.literal(0), z.literal(1), z.null()]);
const changeSchema = z.union([
  z.object({ rows: z.array(z.tuple([z.number().int().min(-1), decision, z.number().finite()]).nullable()), stream: z.unknown().nullable() }),
  z.object({ outcomes: z.array(z.tuple([z.number().int().positive(), z.union([z.literal(0), z.literal(1)])])) }),
]);
const tallyKeys = ['rows', 'positives', 'adjustedSum', 'labelPositives', 'truePositives', 'labelNegatives', 'falsePositives'] as const;

const stateSchema = z.object({
  format: z.literal('fairkit-serve-state'),
  version: z.literal(1),
  model: z.string(),
  nextId: z.number().int().positive(),
  predictRequests: count,
  outcomeRequests: count,
  rows: count,
  stream: z.unknown().nullable(),
  groups: z.object(Object.fromEntries(tallyKeys.map((key) => [key, z.array(key === 'adjustedSum' ? z.number().finite() : count)])) as Record<(typeof tallyKeys)[number], z.ZodArray<z.ZodNumber>>),
  pending: z.array(z.tuple([z.number().int().positive(), z.number().int().min(-1), z.union([z.literal(0), z.literal(1), z.null()])])),
});

export class ServeState {
  nextId = 1;
  predictRequests = 0;
  outcomeRequests = 0;
  rows = 0;
  readonly groups: GroupTallies;
  readonly pending = new Map<number, PendingRow>();

  constructor(
    /** The weights' SHA-256. */
    readonly model: string,
    readonly groupCount: number,
    readonly stream: FairStream | null,
    /** Predictions kept waiting for a label; the oldest is dropped beyond it. */
    readonly maxPending: number,
  ) {
    this.groups = Object.fromEntries(tallyKeys.map((key) => [key, new Array<number>(groupCount).fill(0)])) as unknown as GroupTallies;
  }

  /** Records one scored row (group -1: not in a training group) and returns its id. */
  addRow(group: number, decision: 0 | 1 | null, adjusted: number): number {
    const id = this.nextId++;
    this.rows++;
    if (group >= 0) {
      this.groups.rows[group]++;
      this.groups.adjustedSum[group] += adjusted;
      if (decision === 1) this.groups.positives[group]++;
    }
    this.pending.set(id, [group, decision]);
    if (this.pending.size > this.maxPending) this.pending.delete(this.pending.keys().next().value!);
    return id;
  }

  /** A row refused on its values: an id, but no score to count or label. */
  refusedRow(): number {
    return this.nextId++;
  }

  /** Records one predict request's rows, in order (each takes the next id); returns their ids. */
  recordPredict(rows: readonly RowEffect[]): number[] {
    this.predictRequests++;
    return rows.map((row) => (row === null ? this.refusedRow() : this.addRow(...row)));
  }

  /** Records one outcomes request; returns the outcomes that were not counted, and why. */
  recordOutcomes(outcomes: readonly (readonly [id: number, label: 0 | 1])[]): { id: number; reason: string }[] {
    this.outcomeRequests++;
    return outcomes.flatMap(([id, label]) => {
      const reason = this.addOutcome(id, label);
      return reason === undefined ? [] : [{ id, reason }];
    });
  }

  /** Applies a logged change (validated: the log is read from disk), or throws saying where it fails. */
  replay(json: unknown, where: string): void {
    const result = changeSchema.safeParse(json);
    if (!result.success) throw new FairkitError(`not a logged change of the serve state (${result.error.issues[0].message})`, { where, fix: 'Remove the state folder to start afresh' });
    const change = result.data;
    if ('outcomes' in change) {
      this.recordOutcomes(change.outcomes);
      return;
    }
    if ((change.stream === null) !== (this.stream === null)) throw new FairkitError(`a logged change ${change.stream === null ? 'has no' : 'has a'} stream state, the served model ${this.stream === null ? 'has no stream' : 'has one'}`, { where });
    if (change.rows.some((row) => row !== null && row[0] >= this.groupCount)) throw new FairkitError(`a logged row has a group id beyond the model's ${this.groupCount} groups`, { where });
    this.recordPredict(change.rows as RowEffect[]);
    // The stream's state is checked as a whole saved stream would be.
    if (this.stream) this.stream.restore(FairStream.fromJSON({ ...this.stream.toJSON(), state: change.stream }).snapshot());
  }

  /** Joins a label to a pending row; returns why not when it cannot. */
  addOutcome(id: number, label: 0 | 1): string | undefined {
    const row = this.pending.get(id);
    if (row === undefined) return id >= this.nextId ? 'no prediction has this id' : 'already labelled, or no longer kept (see --max-pending)';
    this.pending.delete(id);
    const [group, decision] = row;
    if (group < 0) return undefined; // counted as labelled, but belongs to no group's rates
    if (label === 1) {
      this.groups.labelPositives[group]++;
      if (decision === 1) this.groups.truePositives[group]++;
    } else {
      this.groups.labelNegatives[group]++;
      if (decision === 1) this.groups.falsePositives[group]++;
    }
    return undefined;
  }

  toJSON(): ServeStateJson {
    return {
      format: 'fairkit-serve-state',
      version: 1,
      model: this.model,
      nextId: this.nextId,
      predictRequests: this.predictRequests,
      outcomeRequests: this.outcomeRequests,
      rows: this.rows,
      stream: this.stream ? this.stream.toJSON() : null,
      groups: this.groups,
      pending: [...this.pending].map(([id, [group, decision]]) => [id, group, decision]),
    };
  }

  /** Restores a saved state into this one (same model, same groups, same stream options), or throws saying why. */
  restore(json: unknown, where: string): void {
    const result = stateSchema.safeParse(json);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new FairkitError(`not a fairkit serve state (${issue.path.join('.') || '(root)'}: ${issue.message})`, { where, fix: 'Point --state to another folder, or remove the file to start afresh' });
    }
    const saved = result.data;
    if (saved.model !== this.model) throw new FairkitError('the state was written for another model (its weights differ)', { where, fix: 'Give each model its own --state folder' });
    if (tallyKeys.some((key) => saved.groups[key].length !== this.groupCount)) throw new FairkitError(`the state's group tallies do not all have the model's ${this.groupCount} groups`, { where });
    if ((saved.stream === null) !== (this.stream === null)) throw new FairkitError(`the state ${saved.stream === null ? 'has no' : 'has a'} stream, the served model ${this.stream === null ? 'does not use one' : 'does'}`, { where });
    if (this.stream) {
      const resumed = FairStream.fromJSON(saved.stream);
      const options = JSON.stringify(resumed.toJSON().options);
      if (options !== JSON.stringify(this.stream.toJSON().options)) throw new FairkitError(`the saved stream's options ${options} differ from the server's ${JSON.stringify(this.stream.toJSON().options)}`, { where, fix: 'Serve with the same --eta0, or another --state folder' });
      this.stream.restore(resumed.snapshot());
    }
    this.nextId = saved.nextId;
    this.predictRequests = saved.predictRequests;
    this.outcomeRequests = saved.outcomeRequests;
    this.rows = saved.rows;
    for (const key of tallyKeys) this.groups[key].splice(0, this.groupCount, ...saved.groups[key]);
    this.pending.clear();
    for (const [id, group, decision] of saved.pending) this.pending.set(id, [group, decision]);
  }
}
