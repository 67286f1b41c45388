import { Command, Option } from 'commander';
import { choiceOption, numberOption } from './options.js';
import { categoricalOption, encodingOption, missingOption, type ReadFlags } from './read-options.js';

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('Score the rows of a CSV file with a saved model; writes the rows with score, prediction and note columns added.')
    .argument('<file>', 'CSV file with a header row and the columns the model was trained on')
    .requiredOption('--model <dir>', 'folder written by `fairkit train --out`')
    .requiredOption('--out <file>', 'CSV file to write (never the input file)')
    .option('--force', 'replace an existing --out file', false)
    .addOption(new Option('--policy <policy>', 'rows with a category not seen in training or a missing cell: refuse (no score), flag (scored, with a note) or impute (scored, counted only)').argParser(choiceOption('--policy', ['refuse', 'flag', 'impute'] as const)).default('flag'))
    .option('--threshold <t>', 'decision threshold on the score (a model saved with --postprocess uses its own per-group thresholds instead)', numberOption('--threshold', { min: 0, max: 1 }), 0.5)
    .option('--score-column <name>', 'name of the added score column', 'score')
    .option('--prediction-column <name>', 'name of the added prediction column', 'prediction')
    .option('--batch-size <n>', 'rows per prediction batch: models that act on a batch (flayer, projection, GroupMixNorm in batch mode) depend on it', numberOption('--batch-size', { min: 1, integer: true }), 8192)
    .option('--target <col>', 'a regression flayer/projection model with constraint=eer: the column of true targets, for a labelled audit (each --batch-size batch projected exactly onto |mean residual| <= epsilon per group, and the box); refused for any other model')
    .option('--reset-stream', "flayer/projection at a batch size below 100: start the primal–dual stream afresh instead of resuming the model folder's stream.json", false)
    .option('--embeddings', "also write the model's last hidden layer, one column per unit (<prefix>0, <prefix>1, …) after the added columns; MLP, GroupMixNorm MLP (every row needs its group) and flayer/projection over those, not CNN or MEDL", false)
    .option('--embedding-prefix <prefix>', 'name prefix of the --embeddings columns', 'h')
    .option('--note-column <name>', "name of the added column with each row's note (why it was refused or flagged)", 'note')
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').argParser(choiceOption('--backend', ['auto', 'wasm', 'cpu'] as const)).default('auto'))
    .addOption(encodingOption()).addOption(missingOption()).addOption(categoricalOption())
    .action(async (file: string, flags: ReadFlags & { model: string; out: string; force: boolean; policy: 'refuse' | 'flag' | 'impute'; threshold: number; scoreColumn: string; predictionColumn: string; noteColumn: string; embeddings: boolean; embeddingPrefix: string; batchSize: number; target?: string; resetStream: boolean; backend: 'auto' | 'wasm' | 'cpu' }) => {
      // Loaded on demand so that the light commands do not pay for TensorFlow.js start-up.
      const { initBackend } = await import('../nn/backend.js');
      const { checkOutputFile, predictFile } = await import('../predict/predict-file.js');
      // Before TensorFlow.js starts: an output that is the input, or exists without --force, is refused at once.
      checkOutputFile(file, flags.out, flags.force);
      await initBackend(flags.backend);
      const { rows, method, notes, counts, fairInference } = await predictFile({ modelDir: flags.model, input: file, output: flags.out, force: flags.force, policy: flags.policy, threshold: flags.threshold, scoreColumn: flags.scoreColumn, predictionColumn: flags.predictionColumn, noteColumn: flags.noteColumn, batchSize: flags.batchSize, ...(flags.target !== undefined ? { target: flags.target } : {}), resetStream: flags.resetStream, embeddings: flags.embeddings, embeddingPrefix: flags.embeddingPrefix, read: flags });
      for (const note of notes) process.stderr.write(`note: ${note}\n`);
      if (fairInference) process.stderr.write(`${(await import('../flayer/fair-predict.js')).describeInference(fairInference)}\n`);
      // Refused rows are an answer (no score, a reason), not a failure: the exit status stays 0.
      process.stderr.write(`scored ${counts.scored} of ${rows} rows (${counts.flagged} flagged, ${counts.refused} refused; policy ${flags.policy}) with the ${method} model${flags.embeddings ? ', with its last hidden layer' : ''}; wrote ${flags.out}\n`);
    });
}
