/**
 * Writes a bench folder with a small made-up journal: a synthetic study (erm, eor at two λ, two seeds) and an
 * Adult study under the FFB protocol (erm, two seeds), so the report has every kind of chart and table.
 */
export declare function writeFakeBenchFolder(folder: string): void;
