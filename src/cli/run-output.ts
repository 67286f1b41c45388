import { renderAudit } from '../audit/render.js';
import type { PreparedSplits } from '../data/prepare.js';
import type { SplitReport } from '../train/evaluation.js';

/** A test-split report as `fairkit audit` prints its table (of either task). */
export function testSplitTable(prepared: PreparedSplits, report: SplitReport): string {
  const common = { rows: prepared.test.nRows, sensitive: prepared.spec.sensitive, overall: { ...report.overall }, groups: report.groups.map((group) => ({ ...group })), fairness: { ...report.fairness }, warnings: [] };
  if (prepared.targetScale) return renderAudit({ task: 'regression', ...common }, 'table');
  return renderAudit({ ...common, positive: prepared.positive } as Parameters<typeof renderAudit>[0], 'table');
}
