import { availableParallelism } from 'node:os';
import { Option } from 'commander';
import { choiceOption, listOption, numberListOption, numberOption } from './options.js';
export const DEFAULT_SEEDS = 3;
export function registerBench(program) {
    program
        .command('bench')
        .description('Compare methods over seeds (or folds) and λ on worker threads; results go to a resumable journal (DIR/results.jsonl).')
        .option('--dataset <names>', 'data sets, comma-separated: synthetic (built in), adult, compas, german, bank', listOption('--dataset'), ['synthetic'])
        .option('--data-dir <dir>', 'folder with one sub-folder per data set (default $FAIRKIT_DATA_DIR or ../shared/datasets)')
        .option('--sensitive <cols>', "sensitive column(s) for every data set (default: each data set's own)", listOption('--sensitive'))
        .option('--methods <names>', 'methods, comma-separated, or all (see `fairkit methods`); erm always runs as the reference', listOption('--methods'), ['all'])
        .option('--lambdas <values>', 'strengths for methods with a lambda parameter', numberListOption('--lambdas', { min: 0 }), [0.1, 1])
        .option('--seeds <n>', `seeds 0..n-1, each a new split (default ${DEFAULT_SEEDS})`, numberOption('--seeds', { min: 1, integer: true }))
        .option('--folds <k>', 'k-fold cross-validation instead of seeds', numberOption('--folds', { min: 2, integer: true }))
        .addOption(new Option('--protocol <name>', 'split, model and optimiser of a published benchmark').argParser(choiceOption('--protocol', ['ffb', 'gcm'])).default('gcm'))
        .option('--epochs <n>', "override the protocol's number of epochs", numberOption('--epochs', { min: 1, integer: true }))
        .option('--workers <n>', 'worker threads (default: the number of cores)', numberOption('--workers', { min: 1, integer: true }), availableParallelism())
        .option('--out <dir>', 'output folder (journal, manifest; the report goes there too)', 'fairkit-bench')
        .addOption(new Option('--backend <name>', 'TensorFlow.js backend').argParser(choiceOption('--backend', ['auto', 'wasm', 'cpu'])).default('auto'))
        .addOption(new Option('--progress <mode>', 'progress on stderr').argParser(choiceOption('--progress', ['auto', 'bar', 'lines', 'silent'])).default('auto'))
        .action(async (flags) => (await import('./bench-action.js')).runBench(flags));
}
//# sourceMappingURL=bench.js.map