import { z } from 'zod';
/** Learning-rate schedules, evaluated per optimiser step. */
export const scheduleSchema = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('constant') }),
    /** Multiply by `gamma` every `every` steps (FFB: every 50 steps by 0.1). */
    z.object({ kind: z.literal('step'), every: z.number().int().positive(), gamma: z.number().min(0) }),
    /** Cosine decay from the base rate to `floor`·base over `totalSteps`. */
    z.object({ kind: z.literal('cosine'), totalSteps: z.number().int().positive(), floor: z.number().min(0).max(1).default(0) }),
    /** base / (1 + decay·t), as Zhang et al.'s 1/t decay. */
    z.object({ kind: z.literal('inverse'), decay: z.number().positive() }),
]);
export function learningRateAt(base, schedule, step) {
    switch (schedule.kind) {
        case 'constant':
            return base;
        case 'step':
            return base * schedule.gamma ** Math.floor(step / schedule.every);
        case 'cosine': {
            const progress = Math.min(step, schedule.totalSteps) / schedule.totalSteps;
            return base * (schedule.floor + (1 - schedule.floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
        }
        case 'inverse':
            return base / (1 + schedule.decay * step);
    }
}
//# sourceMappingURL=schedules.js.map