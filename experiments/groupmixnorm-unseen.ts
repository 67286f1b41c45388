/**
 * Unseen groups at test time. Adult with race as the sensitive attribute (not an input): training sees only some
 * races (default White and Black); the test set is the test split of those plus every row of the held-out races
 * (Asian-Pac-Islander, Amer-Indian-Eskimo, Other), which no model saw in training. The encoder is fitted on the
 * training split of the seen races only.
 *
 * GroupMixNorm is trained once and evaluated with three inference modes: 'groupRunning' (held-out rows are an
 * unknown group, id −1, and fall back to the overall running statistics), 'globalRunning' (no group ids at test at
 * all) and 'batch' (each seen group normalised with its own statistics in the test batch; held-out rows, id −1,
 * with the whole test batch's statistics).
 * Recorded: AP, ΔDP and ΔEO sum over all five races, and between seen and held-out rows taken as two groups.
 *
 * Run: node --import tsx experiments/groupmixnorm-unseen.ts --out results.jsonl [--seeds 0,1,2,3,4]
 *        [--epochs 20] [--seen White,Black] [run ...]      (default runs: erm groupmixnorm fairmixup eor)
 */
import { pathToFileURL } from 'node:url';
import { resolveDataDir } from '../src/data/data-dir.js';
import { labelsFrom } from '../src/data/labels.js';
import { loadDataset } from '../src/data/loaders/index.js';
import { prepareDataset } from '../src/data/prepare.js';
import { getColumn, selectRows } from '../src/data/table.js';
import type { GroupIndex } from '../src/data/types.js';
import { initBackend } from '../src/nn/backend.js';
import { isGroupMixNormMlp } from '../src/nn/group-mix-norm-mlp.js';
import { INFERENCE_MODES } from '../src/nn/group-mix-norm-unit.js';
import { fit } from '../src/train/fit.js';
import { Journal, keepValues, METHODS, numberList, outcomeOf, parseArgs, parseRun } from './groupmixnorm-common.js';
import { predictProba } from '../src/nn/predict.js';

const ATTRIBUTE = 'race';

export async function runUnseen(argv: string[]): Promise<void> {
  const { flags, words } = parseArgs(argv);
  const out = flags.get('out') ?? 'groupmixnorm-unseen.jsonl';
  const seeds = numberList(flags.get('seeds'), [0, 1, 2, 3, 4]);
  const epochs = Number(flags.get('epochs') ?? 20);
  const seen = (flags.get('seen') ?? 'White,Black').split(',');
  const runs = (words.length > 0 ? words : ['erm', 'groupmixnorm', 'fairmixup', 'eor']).map(parseRun);
  const journal = new Journal(out);
  await initBackend();

  const adult = await loadDataset('adult', resolveDataDir());
  const dataset = { ...adult, spec: { ...adult.spec, sensitive: [ATTRIBUTE], sensitiveAsFeature: false } };
  const races = getColumn(dataset.table, ATTRIBUTE).values as (string | null)[];
  const heldOutRows = races.flatMap((race, row) => (race !== null && !seen.includes(race) ? [row] : []));
  const heldOutTable = selectRows(dataset.table, heldOutRows);
  const heldOutRaces = heldOutRows.map((row) => races[row]!);
  const heldOutKeys = [...new Set(heldOutRaces)].sort();

  for (const seed of seeds) {
    const prepared = prepareDataset(keepValues(dataset, ATTRIBUTE, seen), { seed });
    const { train, test } = prepared;
    const heldOut = prepared.encoder.transform(heldOutTable);
    const { y: heldOutY } = labelsFrom(heldOutTable, dataset.spec.target, prepared.positive);
    // Evaluation set: the seen races' test split, then every held-out row.
    const X = new Float32Array((test.nRows + heldOut.nRows) * train.nFeatures);
    X.set(test.X);
    X.set(heldOut.X, test.X.length);
    const y = Uint8Array.from([...test.y, ...heldOutY]);
    const seenKeys = train.groups.keys;
    const fiveGroups: GroupIndex = {
      attributes: [ATTRIBUTE],
      keys: [...seenKeys, ...heldOutKeys],
      values: [...seenKeys, ...heldOutKeys].map((key) => ({ [ATTRIBUTE]: key })),
      ids: Int32Array.from([...test.groups.ids, ...heldOutRaces.map((race) => seenKeys.length + heldOutKeys.indexOf(race))]),
    };
    const seenVsHeldOut: GroupIndex = { attributes: ['held out'], keys: ['seen', 'held out'], values: [{ 'held out': 'no' }, { 'held out': 'yes' }], ids: Int32Array.from(fiveGroups.ids, (g) => (g < seenKeys.length ? 0 : 1)) };
    const modelIds = Int32Array.from(fiveGroups.ids, (g) => (g < seenKeys.length ? g : -1));
    const heldOutOnly = Array.from({ length: heldOut.nRows }, (_, i) => test.nRows + i);

    for (const run of runs) {
      const keyOf = (label: string) => `unseen|${seen.join('+')}|${seed}|${epochs}|${label}`;
      const labels = run.method === 'groupmixnorm' ? INFERENCE_MODES.map((mode) => `${run.label}@${mode}`) : [run.label];
      if (labels.every((label) => journal.has(keyOf(label)))) continue;
      const fitted = fit({ method: METHODS[run.method], params: run.params, train, options: { hidden: [200], batchSize: 2000, learningRate: 1e-3, epochs, seed, progress: 'silent' } });
      const modes = isGroupMixNormMlp(fitted.model) ? INFERENCE_MODES : [null];
      for (const mode of modes) {
        const label = mode === null ? run.label : `${run.label}@${mode}`;
        const key = keyOf(label);
        if (journal.has(key)) continue;
        if (mode !== null && isGroupMixNormMlp(fitted.model)) fitted.model.setInference(mode);
        // One prediction batch, so that the transductive 'batch' mode sees the whole evaluation set at once.
        const scores = predictProba(fitted.model, { X: X, nRows: y.length, groups: modelIds }, { batchSize: y.length });
        const all = outcomeOf(scores, { y, groups: fiveGroups });
        const binary = outcomeOf(scores, { y, groups: seenVsHeldOut });
        const heldOutAp = outcomeOf(Float32Array.from(heldOutOnly, (i) => scores[i]), { y: Uint8Array.from(heldOutOnly, (i) => y[i]), groups: { ...seenVsHeldOut, ids: new Int32Array(heldOutOnly.length) } }).ap;
        journal.write({ key, experiment: 'unseen', seen, seed, epochs, run: label, method: run.method, params: run.params, inferenceMode: mode, ...all, seenVsHeldOut: { dp: binary.dp, eoSum: binary.eoSum, softDp: binary.softDp, softEo: binary.softEo }, heldOutAp });
        console.log(`seed ${seed} ${label}: AP ${all.ap?.toFixed(4)} ΔDP(5) ${all.dp?.toFixed(4)} ΔEO(5) ${all.eoSum?.toFixed(4)} | seen vs held out ΔDP ${binary.dp?.toFixed(4)} ΔEO ${binary.eoSum?.toFixed(4)}`);
      }
      fitted.model.dispose();
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runUnseen(process.argv.slice(2));
}
