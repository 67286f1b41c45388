export declare function rowLogLoss(label: number, probability: number): number;
