import { statSync } from 'node:fs';
import { FairkitError } from '../errors.js';

/**
 * Refuses, before any work, an output that is the input (the same file after resolving paths and links, even with
 * force), a folder, or an existing file without force.
 */
export function checkOutputFile(input: string, output: string, force: boolean): void {
  let existing;
  try {
    existing = statSync(output);
  } catch {
    return;
  }
  if (existing.isDirectory()) throw new FairkitError(`${output} is a folder, not a file`, { where: '--out', fix: 'Give a file path' });
  let source;
  try {
    source = statSync(input);
  } catch {
    source = undefined;
  }
  if (source && source.dev === existing.dev && source.ino === existing.ino) {
    throw new FairkitError(`${output} is the input file itself, which is never overwritten (not even with --force)`, { where: '--out', fix: 'Give another path' });
  }
  if (!force) throw new FairkitError(`${output} already exists`, { where: '--out', fix: 'Give --force to replace it, or another path' });
}
