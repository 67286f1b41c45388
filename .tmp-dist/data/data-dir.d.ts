export declare const DATA_DIR_ENV = "FAIRKIT_DATA_DIR";
/** The folder that would be used, and which source named it, without checking that it exists. */
export declare function candidateDataDir(flag?: string): {
    path: string;
    source: 'flag' | 'env' | 'default';
};
/** The data folder: the --data-dir flag, else $FAIRKIT_DATA_DIR, else <project root>/../shared/datasets. */
export declare function resolveDataDir(flag?: string): string;
/** Path of one file of one data set, or a FairkitError naming the missing path. */
export declare function datasetFile(dataDir: string, folder: string, file: string): string;
