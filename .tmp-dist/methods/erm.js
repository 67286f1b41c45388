import { z } from 'zod';
import { bceWithLogits } from '../nn/losses.js';
import { minimizeLoss } from '../train/batches.js';
/** Empirical risk minimisation: the task loss alone, the baseline every method is compared with. */
export const erm = {
    name: 'erm',
    summary: 'Plain training on the task loss (binary cross-entropy); the baseline.',
    params: z.object({}).strict(),
    paramDocs: {},
    createStep: ({ model, optimizer }) => ({
        run: (batch) => minimizeLoss(optimizer, model.variables, () => taskLoss(model.apply(batch.x, { training: true, dropoutSeed: batch.dropoutSeed, groups: batch.groups }), batch)),
        dispose: () => { },
    }),
};
/** The task loss of a batch on logits [b, 1], weighted when the batch carries sample weights. */
export function taskLoss(logits, batch) {
    return bceWithLogits(logits, batch.y, batch.weights);
}
//# sourceMappingURL=erm.js.map