import { z } from 'zod';
/** Everything the loop needs besides the method: model shape, optimiser, batching, seeding, reporting. */
export declare const trainingOptionsSchema: z.ZodObject<{
    epochs: z.ZodDefault<z.ZodNumber>;
    batchSize: z.ZodDefault<z.ZodNumber>;
    learningRate: z.ZodDefault<z.ZodNumber>;
    optimizer: z.ZodDefault<z.ZodEnum<{
        adam: "adam";
        sgd: "sgd";
    }>>;
    momentum: z.ZodDefault<z.ZodNumber>;
    schedule: z.ZodDefault<z.ZodDiscriminatedUnion<[z.ZodObject<{
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
    }, z.core.$strip>], "kind">>;
    hidden: z.ZodDefault<z.ZodArray<z.ZodNumber>>;
    activation: z.ZodDefault<z.ZodEnum<{
        relu: "relu";
        leakyRelu: "leakyRelu";
        tanh: "tanh";
        sigmoid: "sigmoid";
    }>>;
    dropout: z.ZodDefault<z.ZodNumber>;
    seed: z.ZodDefault<z.ZodNumber>;
    earlyStopping: z.ZodOptional<z.ZodObject<{
        metric: z.ZodString;
        patience: z.ZodNumber;
        mode: z.ZodDefault<z.ZodEnum<{
            max: "max";
            min: "min";
        }>>;
    }, z.core.$strip>>;
    progress: z.ZodDefault<z.ZodEnum<{
        auto: "auto";
        bar: "bar";
        jsonl: "jsonl";
        silent: "silent";
    }>>;
}, z.core.$strict>;
export type TrainingOptions = z.infer<typeof trainingOptionsSchema>;
export type TrainingOptionsInput = z.input<typeof trainingOptionsSchema>;
