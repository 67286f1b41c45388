import { readFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { readTable } from '../data/csv.js';
import { cellText, getColumn, rowPlace } from '../data/table.js';
import type { Table } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { checkOutputFile } from '../io/output-file.js';
import { applySteering } from '../steer/apply.js';
import { fitSteering, type IdealSolver, type SteerMethod } from '../steer/data-steering.js';
import type { KlDirection } from '../steer/ideal.js';
import { parseSteeringMap } from '../steer/map-schema.js';
import { csvOptionsFrom, printReadNotes, type ReadFlags } from './read-options.js';

export interface SteerFitFlags extends ReadFlags {
  label: string;
  sensitive: string;
  features?: string[];
  method: SteerMethod;
  out: string;
  reference?: string;
  shrinkage: number;
  minRows?: number;
  direction: KlDirection;
  idealSolver: IdealSolver;
  groupClassifier: boolean;
  groupClassifierC: number;
  force: boolean;
}

export interface SteerApplyFlags extends ReadFlags {
  map: string;
  out: string;
  testTime: boolean;
  classColumn?: string;
  force: boolean;
}

export async function steerFit(file: string, flags: SteerFitFlags): Promise<void> {
  checkOutputFile(file, flags.out, flags.force);
  const numeric = Object.fromEntries((flags.features ?? []).map((name) => [name, 'numeric' as const]));
  const table = await readTable(file, csvOptionsFrom(flags, { ...numeric, [flags.label]: 'categorical', [flags.sensitive]: 'categorical' }));
  printReadNotes(table.notes);
  const features = flags.features ?? table.names.filter((name) => name !== flags.label && name !== flags.sensitive && table.columns.get(name)!.kind === 'numeric');
  if (features.length === 0) throw new FairkitError('no numeric feature column to steer', { where: file, fix: 'Name them with --features' });
  for (const name of [flags.label, flags.sensitive]) if (features.includes(name)) throw new FairkitError(`${name} cannot be both a feature and the ${name === flags.label ? 'label' : 'group'}`, { where: '--features' });
  const groups = codes(table, flags.sensitive, 'sensitive column');
  const labels = codes(table, flags.label, 'label column');
  const map = fitSteering(
    { rows: featureRows(table, features), dim: features.length, groups: groups.ids, labels: labels.ids, features, groupNames: groups.names, labelNames: labels.names, sensitive: flags.sensitive, label: flags.label },
    { method: flags.method, reference: flags.reference, shrinkage: flags.shrinkage, minRows: flags.minRows, direction: flags.direction, idealSolver: flags.idealSolver, ...(flags.groupClassifier ? { groupClassifier: { c: flags.groupClassifierC } } : {}) },
  );
  writeFileAtomic(flags.out, `${JSON.stringify(map, null, 1)}\n`);
  const moved = map.groups.filter((g) => map.method === 'leace' || g !== map.reference);
  process.stderr.write(`fitted the ${map.method} steering map on ${table.nRows} rows × ${features.length} features; ${map.method === 'leace' ? 'every row is moved' : `group${moved.length > 1 ? 's' : ''} ${moved.join(', ')} steered toward ${map.reference}`}; wrote ${flags.out}\n`);
  for (const d of map.diagnostics) process.stderr.write(`  ${flags.sensitive}=${d.group}: γ = ${d.gamma.toPrecision(5)}, ${d.direction} KL to the ideal target = ${d.kl.toPrecision(5)} nats${d.solver === 'moments' ? ' (moments solver; γ = det(M)^{1/d})' : ''}\n`);
  if (map.groupClassifier) process.stderr.write(`  group classifier (C = ${map.groupClassifier.c}): predicts ${flags.sensitive} right on ${(100 * map.groupClassifier.trainingAccuracy).toFixed(1)}% of the training rows\n`);
}

export async function steerApply(file: string, flags: SteerApplyFlags): Promise<void> {
  checkOutputFile(file, flags.out, flags.force);
  let text: string;
  try {
    text = readFileSync(flags.map, 'utf8');
  } catch {
    throw new FairkitError('file not found or unreadable', { where: flags.map });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FairkitError(`not JSON: ${(error as Error).message}`, { where: flags.map });
  }
  const map = parseSteeringMap(json, flags.map);
  // With a group classifier the group column may be absent, so it cannot be declared (a declared column must exist);
  // its cells are then compared with the map's group names as the reader gives them.
  const groupType = map.groupClassifier ? {} : { [map.sensitive]: 'categorical' as const };
  const table = await readTable(file, csvOptionsFrom(flags, { ...Object.fromEntries(map.features.map((name) => [name, 'numeric' as const])), ...groupType }));
  printReadNotes(table.notes);
  const rows = featureRows(table, map.features);
  // With a group classifier in the map, the group column may be absent (every group predicted) or have empty cells.
  const groupColumn = map.groupClassifier && !table.columns.has(map.sensitive) ? undefined : getColumn(table, map.sensitive, 'sensitive column');
  const groups = Array.from({ length: table.nRows }, (_, i) => (groupColumn ? cellText(groupColumn, i) : null));
  if (flags.classColumn && flags.testTime) throw new FairkitError('--class-column and --test-time contradict each other (test time means no class)');
  // A named class column must exist; the map's label column is used only when the file has it.
  const labelColumn = flags.testTime ? undefined : flags.classColumn ? getColumn(table, flags.classColumn, '--class-column') : table.columns.get(map.label);
  const labels = labelColumn ? Array.from({ length: table.nRows }, (_, i) => cellText(labelColumn, i)) : null;
  const counts = applySteering(map, rows, groups, labels, { testTime: flags.testTime, where: file });
  const featureOf = table.names.map((name) => map.features.indexOf(name));
  writeFileAtomic(flags.out, stringify([table.names, ...Array.from({ length: table.nRows }, (_, i) => table.names.map((name, column) => {
    const feature = featureOf[column];
    return feature >= 0 ? String(rows[i * map.features.length + feature]) : cellText(table.columns.get(name)!, i) ?? '';
  }))]));
  process.stderr.write(`steered ${table.nRows} rows with the ${map.method} map (${counts.classConditional} by their class's map, ${counts.perGroup} by their group's, ${counts.unchanged} unchanged); wrote ${flags.out}\n`);
  if (map.groupClassifier) process.stderr.write(`${counts.predictedGroup} of ${table.nRows} rows had no ${map.sensitive} and were steered by the group the map's classifier predicted\n`);
}

/** Category ids of a column, values sorted, so that a map does not depend on the order of the rows. */
function codes(table: Table, name: string, role: string): { ids: Int32Array; names: string[] } {
  const column = getColumn(table, name, role);
  const values = Array.from({ length: table.nRows }, (_, i) => {
    const value = cellText(column, i);
    if (value === null) throw new FairkitError(`the ${role} "${name}" is missing`, { where: rowPlace(table, i) });
    return value;
  });
  const names = [...new Set(values)].sort();
  const index = new Map(names.map((v, i) => [v, i]));
  return { ids: Int32Array.from(values, (v) => index.get(v)!), names };
}

function featureRows(table: Table, features: string[]): Float64Array {
  const d = features.length;
  const rows = new Float64Array(table.nRows * d);
  features.forEach((name, j) => {
    const column = getColumn(table, name, 'feature column');
    if (column.kind !== 'numeric') throw new FairkitError(`feature column "${name}" is not numeric`, { where: '--features' });
    for (let i = 0; i < table.nRows; i++) {
      const value = column.values[i];
      if (Number.isNaN(value)) throw new FairkitError(`feature "${name}" is missing`, { where: rowPlace(table, i), fix: 'Steering needs every feature; drop or impute such rows first' });
      rows[i * d + j] = value;
    }
  });
  return rows;
}
