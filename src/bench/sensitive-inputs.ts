import type { LoadedDataset, Table } from '../data/types.js';

/**
 * Takes the sensitive attributes out of the model inputs, together with every categorical input from which one
 * of them can be read off exactly (each value of the input goes with one value of the attribute): such a column is
 * a copy of the attribute, e.g. COMPAS `race` when the sensitive attribute is `race_binary` derived from it.
 */
export function dropSensitiveInputs(dataset: LoadedDataset): LoadedDataset {
  const { spec, table } = dataset;
  const inputs = (spec.features ?? table.names.filter((name) => name !== spec.target && name !== spec.cluster))
    .filter((name) => !spec.sensitive.includes(name))
    .filter((name) => !spec.sensitive.some((sensitive) => determines(table, name, sensitive)));
  return { ...dataset, spec: { ...spec, features: inputs, sensitiveAsFeature: false } };
}

/** Whether the categorical column `input` has one value of `attribute` for each of its values (missing rows aside). */
function determines(table: Table, input: string, attribute: string): boolean {
  const source = table.columns.get(input);
  const target = table.columns.get(attribute);
  if (source?.kind !== 'categorical' || !target) return false;
  const seen = new Map<string, unknown>();
  for (let row = 0; row < table.nRows; row++) {
    const key = source.values[row];
    const value = target.values[row];
    if (key === null || value === null || (typeof value === 'number' && Number.isNaN(value))) continue;
    if (!seen.has(key)) seen.set(key, value);
    else if (seen.get(key) !== value) return false;
  }
  return true;
}
