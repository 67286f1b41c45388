import { Command, Option } from 'commander';
import { choiceOption, numberOption } from './options.js';
import { categoricalOption, encodingOption, missingOption, type ReadFlags } from './read-options.js';

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('Score the rows of a CSV file with a saved model; writes the rows with score and prediction columns added.')
    .argument('<file>', 'CSV file with a header row and the columns the model was trained on')
    .requiredOption('--model <dir>', 'folder written by `fairkit train --out`')
    .requiredOption('--out <file>', 'CSV file to write')
    .option('--threshold <t>', 'decision threshold on the score', numberOption('--threshold', { min: 0, max: 1 }), 0.5)
    .option('--score-column <name>', 'name of the added score column', 'score')
    .option('--prediction-column <name>', 'name of the added prediction column', 'prediction')
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').argParser(choiceOption('--backend', ['auto', 'wasm', 'cpu'] as const)).default('auto'))
    .addOption(encodingOption()).addOption(missingOption()).addOption(categoricalOption())
    .action(async (file: string, flags: ReadFlags & { model: string; out: string; threshold: number; scoreColumn: string; predictionColumn: string; backend: 'auto' | 'wasm' | 'cpu' }) => {
      // Loaded on demand so that the light commands do not pay for TensorFlow.js start-up.
      const { initBackend } = await import('../nn/backend.js');
      const { predictFile } = await import('../predict/predict-file.js');
      await initBackend(flags.backend);
      const { rows, method, notes } = await predictFile({ modelDir: flags.model, input: file, output: flags.out, threshold: flags.threshold, scoreColumn: flags.scoreColumn, predictionColumn: flags.predictionColumn, read: flags });
      for (const note of notes) process.stderr.write(`note: ${note}\n`);
      process.stderr.write(`scored ${rows} rows with the ${method} model; wrote ${flags.out}\n`);
    });
}
