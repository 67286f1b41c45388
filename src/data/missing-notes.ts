/**
 * What the missing-value tokens did to a file, as notes the commands print to stderr: a cell read as missing is a
 * decision (it is dropped, or imputed), so the user should see how many cells each column lost and to which tokens.
 */

/** Columns named one by one; beyond these the rest are summed, so a wide file does not flood the terminal. */
const MAX_COLUMN_NOTES = 12;

export function missingNotes(source: string, names: string[], counts: Map<string, number>[], nRows: number): string[] {
  const notes: string[] = [];
  let otherColumns = 0;
  let otherCells = 0;
  names.forEach((name, i) => {
    const byToken = [...counts[i]].sort((a, b) => b[1] - a[1]);
    const total = byToken.reduce((sum, [, n]) => sum + n, 0);
    if (total === 0) return;
    if (notes.length === MAX_COLUMN_NOTES) {
      otherColumns++;
      otherCells += total;
      return;
    }
    const tokens = byToken.map(([token, n]) => `"${token}" ×${n}`).join(', ');
    notes.push(`${source}: column "${name}": ${total} of ${nRows} cells read as missing (${tokens})`);
  });
  if (otherColumns > 0) notes.push(`${source}: ${otherCells} more cells in ${otherColumns} more columns read as missing`);
  return notes;
}
