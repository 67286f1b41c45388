import { type Binning } from './binning.js';
import type { GroupIndex, Table } from './types.js';
export type { Binning } from './binning.js';
export { labelsFrom } from './labels.js';
export interface GroupOptions {
    /** Privileged value per sensitive column (a bin label for binned columns). */
    privileged?: Record<string, string>;
    /** Binning of continuous sensitive columns. */
    binning?: Binning[];
    /** A fixed key list (e.g. the training split's), instead of the sorted keys found in `table`. */
    keys?: string[];
    /** With `keys`: give rows of a group not in `keys` the id -1 instead of failing. */
    allowUnseen?: boolean;
}
/**
 * Group ids from one or more sensitive columns. A row's key is its values joined by '|' in the order of
 * `sensitive` (e.g. "Black|Female"), so several columns give intersectional groups; keys are sorted.
 */
export declare function buildGroups(table: Table, sensitive: string[], options?: GroupOptions): GroupIndex;
