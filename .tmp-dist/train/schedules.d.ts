import { z } from 'zod';
/** Learning-rate schedules, evaluated per optimiser step. */
export declare const scheduleSchema: z.ZodDiscriminatedUnion<[z.ZodObject<{
    kind: z.ZodLiteral<"constant">;
}, z.core.$strip>, z.ZodObject<{
    kind: z.ZodLiteral<"step">;
    every: z.ZodNumber;
    gamma: z.ZodNumber;
}, z.core.$strip>, z.ZodObject<{
    kind: z.ZodLiteral<"cosine">;
    totalSteps: z.ZodNumber;
    floor: z.ZodDefault<z.ZodNumber>;
}, z.core.$strip>, z.ZodObject<{
    kind: z.ZodLiteral<"inverse">;
    decay: z.ZodNumber;
}, z.core.$strip>], "kind">;
export type Schedule = z.infer<typeof scheduleSchema>;
export declare function learningRateAt(base: number, schedule: Schedule, step: number): number;
