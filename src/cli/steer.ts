import { Command, Option } from 'commander';
import { choiceOption, listOption, numberOption } from './options.js';
import { categoricalOption, encodingOption, missingOption } from './read-options.js';
import { steerApply, steerFit, type SteerApplyFlags, type SteerFitFlags } from './steer-action.js';

export function registerSteer(program: Command): void {
  const steer = program.command('steer').description('Steer features toward an ideal or a reference distribution (methods.md §4): fit a map, apply it.');
  steer
    .command('fit')
    .description('Fit a steering map on labelled rows; writes it as versioned JSON.')
    .argument('<file>', 'CSV file (optionally .gz) with a header row')
    .requiredOption('--label <col>', 'class label column')
    .requiredOption('--sensitive <col>', 'group column')
    .option('--features <cols>', 'numeric feature columns to steer, comma-separated (default: every numeric column but --label and --sensitive)', listOption('--features'))
    .addOption(new Option('--method <method>', 'ideal: KL-nearest ideal distribution; ot: Gaussian optimal transport (MiMiC); mean: mean matching; leace: linear erasure of the group').argParser(choiceOption('--method', ['ideal', 'ot', 'mean', 'leace'] as const)).default('ideal'))
    .requiredOption('--out <file>', 'JSON file to write the map to')
    .option('--reference <value>', 'group the others are steered toward (default: the largest group)')
    .option('--shrinkage <s>', 'add s·tr(Σ)/d to the diagonal of every covariance (LEACE: 0 turns its optimal shrinkage off)', numberOption('--shrinkage', { min: 0 }), 1e-3)
    .option('--min-rows <n>', 'fewest rows a (class, group) cell needs (default: features + 1)', numberOption('--min-rows', { min: 2, integer: true }))
    .option('--group-classifier', 'also fit a classifier of the group from the features (L2 logistic regression on standardised features), stored in the map: `apply` uses it for rows without a group', false)
    .option('--group-classifier-c <C>', "the group classifier's inverse regularisation strength (scikit-learn's C)", numberOption('--group-classifier-c', { min: 0 }), 1)
    .addOption(new Option('--direction <kl>', 'KL direction of the ideal target: forward KL(ideal‖data) or reverse').argParser(choiceOption('--direction', ['forward', 'reverse'] as const)).default('forward'))
    .addOption(new Option('--ideal-solver <solver>', 'ideal target: moments solves the program over target moments; scalar searches only N(γ·μ + c, γ²Σ) (a KL upper bound)').argParser(choiceOption('--ideal-solver', ['moments', 'scalar'] as const)).default('moments'))
    .option('--force', 'replace an existing --out file', false)
    .addOption(encodingOption()).addOption(missingOption()).addOption(categoricalOption())
    .action(async (file: string, flags: SteerFitFlags) => steerFit(file, flags));
  steer
    .command('apply')
    .description("Steer the rows of a CSV file with a fitted map; every other column is kept. Rows with a label use their class's map (method ideal), others their group's; a row without a group (column absent or cell empty) gets the one the map's group classifier predicts.")
    .argument('<file>', 'CSV file with the map’s feature columns, and its group column unless the map has a group classifier')
    .requiredOption('--map <file>', 'map written by `fairkit steer fit`')
    .requiredOption('--out <file>', 'CSV file to write (never the input file)')
    .option('--test-time', "use each group's map even when the file has the label column", false)
    .option('--class-column <col>', "column whose values pick the class-conditional map, e.g. a predicted class (default: the map's label column)")
    .option('--force', 'replace an existing --out file', false)
    .addOption(encodingOption()).addOption(missingOption()).addOption(categoricalOption())
    .action(async (file: string, flags: SteerApplyFlags) => steerApply(file, flags));
}
