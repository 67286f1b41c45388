/** The `--postprocess` spec string: `thresholds:eo|tpr|dp[:deterministic]`. */
import { FairkitError } from '../errors.js';
import { FAIRNESS_CONSTRAINTS, type FairnessConstraint } from './thresholds.js';

export interface PostprocessSpec {
  /** The canonical spec string, e.g. 'thresholds:eo' or 'thresholds:dp:deterministic' (used in method labels). */
  text: string;
  kind: 'thresholds';
  constraint: FairnessConstraint;
  randomised: boolean;
}

export const POSTPROCESS_SPEC_HELP = 'thresholds:eo (equalized odds), thresholds:tpr (equal opportunity) or thresholds:dp (demographic parity), each optionally followed by :deterministic';

export function parsePostprocessSpec(text: string, where = '--postprocess'): PostprocessSpec {
  const parts = text.trim().split(':');
  const [kind, constraint, variant, ...rest] = parts;
  const bad = (what: string) => new FairkitError(`${what} in post-processor ${JSON.stringify(text)}`, { where, fix: `Give ${POSTPROCESS_SPEC_HELP}` });
  if (kind !== 'thresholds') throw bad(`unknown post-processor ${JSON.stringify(kind)}`);
  if (!FAIRNESS_CONSTRAINTS.includes(constraint as FairnessConstraint)) throw bad(constraint === undefined ? 'no constraint' : `unknown constraint ${JSON.stringify(constraint)}`);
  if ((variant !== undefined && variant !== 'deterministic') || rest.length > 0) throw bad(`unknown variant ${JSON.stringify(parts.slice(2).join(':'))}`);
  const randomised = variant === undefined;
  return { text: `thresholds:${constraint}${randomised ? '' : ':deterministic'}`, kind: 'thresholds', constraint: constraint as FairnessConstraint, randomised };
}
