import { z } from 'zod';
export declare const PROTOCOL_NAMES: readonly ["ffb", "gcm"];
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];
/** What a trial is: everything that decides its result, and nothing else (no paths, no worker count). */
export declare const trialSpecSchema: z.ZodObject<{
    dataset: z.ZodString;
    sensitive: z.ZodArray<z.ZodString>;
    protocol: z.ZodEnum<{
        ffb: "ffb";
        gcm: "gcm";
    }>;
    method: z.ZodString;
    params: z.ZodRecord<z.ZodString, z.ZodUnknown>;
    seed: z.ZodNumber;
    fold: z.ZodNullable<z.ZodObject<{
        index: z.ZodNumber;
        of: z.ZodNumber;
    }, z.core.$strict>>;
    training: z.ZodRecord<z.ZodString, z.ZodUnknown>;
}, z.core.$strict>;
export declare const trialSchema: z.ZodObject<{
    dataset: z.ZodString;
    sensitive: z.ZodArray<z.ZodString>;
    protocol: z.ZodEnum<{
        ffb: "ffb";
        gcm: "gcm";
    }>;
    method: z.ZodString;
    params: z.ZodRecord<z.ZodString, z.ZodUnknown>;
    seed: z.ZodNumber;
    fold: z.ZodNullable<z.ZodObject<{
        index: z.ZodNumber;
        of: z.ZodNumber;
    }, z.core.$strict>>;
    training: z.ZodRecord<z.ZodString, z.ZodUnknown>;
    id: z.ZodString;
}, z.core.$strict>;
export type TrialSpec = z.infer<typeof trialSpecSchema>;
export type Trial = z.infer<typeof trialSchema>;
export declare const epochRecordSchema: z.ZodObject<{
    epoch: z.ZodNumber;
    loss: z.ZodNumber;
    seconds: z.ZodNumber;
    validation: z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodNullable<z.ZodNumber>>>;
}, z.core.$loose>;
/**
 * GCM's group contribution disparity (Eq. 8, methods/contribution.ts) at one step: the mean over weights of
 * |g^{group,y}| / |g^{reference,y}| (`ratio`) and the median of the same ratios.
 */
export declare const contributionSampleSchema: z.ZodObject<{
    step: z.ZodNumber;
    epoch: z.ZodNumber;
    label: z.ZodUnion<readonly [z.ZodLiteral<0>, z.ZodLiteral<1>]>;
    group: z.ZodString;
    reference: z.ZodString;
    ratio: z.ZodNumber;
    median: z.ZodOptional<z.ZodNumber>;
}, z.core.$strip>;
/**
 * A trial's result. `test` has the keys of `fairkit audit --format json` (overall, fairness, groups); other
 * fields may be added by later versions, so unknown keys are kept.
 */
export declare const trialResultSchema: z.ZodObject<{
    test: z.ZodObject<{
        overall: z.ZodRecord<z.ZodString, z.ZodUnknown>;
        fairness: z.ZodRecord<z.ZodString, z.ZodUnknown>;
        groups: z.ZodArray<z.ZodObject<{
            key: z.ZodString;
        }, z.core.$loose>>;
    }, z.core.$loose>;
    trainSeconds: z.ZodNumber;
    epochs: z.ZodOptional<z.ZodNumber>;
    history: z.ZodOptional<z.ZodArray<z.ZodObject<{
        epoch: z.ZodNumber;
        loss: z.ZodNumber;
        seconds: z.ZodNumber;
        validation: z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodNullable<z.ZodNumber>>>;
    }, z.core.$loose>>>;
    contribution: z.ZodOptional<z.ZodArray<z.ZodObject<{
        step: z.ZodNumber;
        epoch: z.ZodNumber;
        label: z.ZodUnion<readonly [z.ZodLiteral<0>, z.ZodLiteral<1>]>;
        group: z.ZodString;
        reference: z.ZodString;
        ratio: z.ZodNumber;
        median: z.ZodOptional<z.ZodNumber>;
    }, z.core.$strip>>>;
    warnings: z.ZodOptional<z.ZodArray<z.ZodString>>;
}, z.core.$loose>;
export type TrialResult = z.infer<typeof trialResultSchema>;
export type EpochRecord = z.infer<typeof epochRecordSchema>;
export type ContributionSample = z.infer<typeof contributionSampleSchema>;
export declare const journalEntrySchema: z.ZodObject<{
    trial: z.ZodObject<{
        dataset: z.ZodString;
        sensitive: z.ZodArray<z.ZodString>;
        protocol: z.ZodEnum<{
            ffb: "ffb";
            gcm: "gcm";
        }>;
        method: z.ZodString;
        params: z.ZodRecord<z.ZodString, z.ZodUnknown>;
        seed: z.ZodNumber;
        fold: z.ZodNullable<z.ZodObject<{
            index: z.ZodNumber;
            of: z.ZodNumber;
        }, z.core.$strict>>;
        training: z.ZodRecord<z.ZodString, z.ZodUnknown>;
        id: z.ZodString;
    }, z.core.$strict>;
    result: z.ZodObject<{
        test: z.ZodObject<{
            overall: z.ZodRecord<z.ZodString, z.ZodUnknown>;
            fairness: z.ZodRecord<z.ZodString, z.ZodUnknown>;
            groups: z.ZodArray<z.ZodObject<{
                key: z.ZodString;
            }, z.core.$loose>>;
        }, z.core.$loose>;
        trainSeconds: z.ZodNumber;
        epochs: z.ZodOptional<z.ZodNumber>;
        history: z.ZodOptional<z.ZodArray<z.ZodObject<{
            epoch: z.ZodNumber;
            loss: z.ZodNumber;
            seconds: z.ZodNumber;
            validation: z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodNullable<z.ZodNumber>>>;
        }, z.core.$loose>>>;
        contribution: z.ZodOptional<z.ZodArray<z.ZodObject<{
            step: z.ZodNumber;
            epoch: z.ZodNumber;
            label: z.ZodUnion<readonly [z.ZodLiteral<0>, z.ZodLiteral<1>]>;
            group: z.ZodString;
            reference: z.ZodString;
            ratio: z.ZodNumber;
            median: z.ZodOptional<z.ZodNumber>;
        }, z.core.$strip>>>;
        warnings: z.ZodOptional<z.ZodArray<z.ZodString>>;
    }, z.core.$loose>;
}, z.core.$strict>;
export type JournalEntry = z.infer<typeof journalEntrySchema>;
/** A trial's id is the stable hash of its spec: the same spec is the same trial in every run. */
export declare function trialId(spec: TrialSpec): string;
export declare function makeTrial(spec: TrialSpec): Trial;
/** A short human label: "eor lambda=1 seed 2", "erm fold 3/5". */
export declare function trialLabel(trial: Pick<Trial, 'method' | 'params' | 'seed' | 'fold'>): string;
