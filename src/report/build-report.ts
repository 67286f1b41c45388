import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { aggregate, type StudySummary } from '../bench/aggregate.js';
import { stableHash } from '../bench/canonical-json.js';
import { readJournal } from '../bench/journal.js';
import { JOURNAL_FILE, readManifest, type BenchManifest } from '../bench/manifest.js';
import { getProtocol } from '../bench/protocols.js';
import { FairkitError } from '../errors.js';
import { ensureWritableFolder, writeFileAtomic } from '../io/atomic-write.js';
import { studyCharts } from './charts.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import type { ReportModel, StudyReport } from './model.js';
import { renderSvg } from './vega-svg.js';

export interface ReportFiles {
  html: string;
  markdown: string;
  summary: string;
  charts: string[];
  warnings: string[];
}

const CHART_FOLDER = 'charts';

/**
 * Reads the journal of a bench folder and writes report.html (self-contained), report.md, summary.json and one
 * SVG per chart under charts/, into `out` (default: the bench folder). Every file is written whole or not at all.
 */
export async function buildReport(folder: string, options: { out?: string; now?: Date } = {}): Promise<ReportFiles> {
  const journal = join(folder, JOURNAL_FILE);
  if (!existsSync(journal)) {
    throw new FairkitError(`no bench journal ${journal}`, { fix: 'Give the --out folder of a `fairkit bench` run' });
  }
  const { entries, warnings } = readJournal(journal);
  if (entries.length === 0) throw new FairkitError('the journal holds no finished trial yet', { where: journal });
  const out = options.out ?? folder;
  ensureWritableFolder(out, options.out ? '--out' : 'report folder');
  mkdirSync(join(out, CHART_FOLDER), { recursive: true });

  const summary = aggregate(entries);
  const manifest = readManifest(folder);
  const incomplete = missingTrials(manifest, new Set(entries.map((entry) => entry.trial.id)));
  if (incomplete) warnings.push(incomplete);
  const slugs = new Set<string>();
  const studies: StudyReport[] = [];
  const chartFiles: string[] = [];
  for (const study of summary.studies) {
    const slug = uniqueSlug(study, slugs);
    const charts = [];
    for (const chart of studyCharts(study)) {
      const file = `${CHART_FOLDER}/${slug}-${chart.id}.svg`;
      const svg = await renderSvg(chart.spec);
      writeFileAtomic(join(out, file), svg);
      chartFiles.push(join(out, file));
      charts.push({ ...chart, file, svg });
    }
    studies.push({ study, slug, heading: headingOf(study), protocol: getProtocol(study.protocol), charts });
  }
  const model: ReportModel = {
    journal,
    generated: (options.now ?? new Date()).toISOString(),
    trials: summary.trials,
    command: manifest?.command ?? null,
    warnings,
    studies,
  };
  const files = { html: join(out, 'report.html'), markdown: join(out, 'report.md'), summary: join(out, 'summary.json') };
  writeFileAtomic(files.summary, `${JSON.stringify(summary, null, 2)}\n`);
  writeFileAtomic(files.markdown, renderMarkdown(model));
  writeFileAtomic(files.html, renderHtml(model));
  return { ...files, charts: chartFiles, warnings };
}

/** A sentence on the planned trials of the last run that are not in the journal, or null when none are missing. */
function missingTrials(manifest: BenchManifest | null, recorded: Set<string>): string | null {
  if (!manifest?.plannedIds) return null;
  const missing = manifest.plannedIds.filter((id) => !recorded.has(id)).length;
  if (missing === 0) return null;
  const why = manifest.finished === null ? 'it did not finish (interrupted or killed)' : `${manifest.failed} of its trials failed`;
  return `the last run planned ${manifest.planned} trials, of which ${missing} are not in the journal because ${why}: the tables leave them out. Run the same command again to finish them.`;
}

function headingOf(study: StudySummary): string {
  const overrides = Object.keys(study.training).length > 0 ? ` (${Object.entries(study.training).map(([key, value]) => `${key} ${JSON.stringify(value)}`).join(', ')})` : '';
  const repeats = study.repeats === 'seeds' ? '' : `, ${study.repeats} cross-validation`;
  const clusters = study.clusters ? `, clusters ${study.clusters}` : '';
  return `${study.dataset}, sensitive ${study.sensitive.join(' × ')}${clusters}, ${getProtocol(study.protocol).title} protocol${overrides}${repeats}`;
}

function uniqueSlug(study: StudySummary, taken: Set<string>): string {
  const base = [study.dataset, ...study.sensitive, study.protocol, ...(study.repeats === 'seeds' ? [] : [study.repeats])].join('-') + (Object.keys(study.training).length > 0 ? `-${stableHash(study.training).slice(0, 6)}` : '');
  const clean = base.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  let slug = clean;
  for (let k = 2; taken.has(slug); k++) slug = `${clean}-${k}`;
  taken.add(slug);
  return slug;
}
