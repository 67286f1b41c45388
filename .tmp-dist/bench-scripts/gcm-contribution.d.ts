export declare function contributionOverTraining(argv: string[]): Promise<void>;
