import type { EncodedDataset, GroupIndex } from './types.js';
export declare const MNIST_FOLDER = "mnist";
export declare const MNIST_FILES: {
    readonly train: {
        readonly images: "train10k-images-idx3-ubyte.gz";
        readonly labels: "train10k-labels-idx1-ubyte.gz";
    };
    readonly test: {
        readonly images: "t10k-images-idx3-ubyte.gz";
        readonly labels: "t10k-labels-idx1-ubyte.gz";
    };
};
export interface IdxImages {
    count: number;
    height: number;
    width: number;
    /** count × height × width uint8, row-major. */
    pixels: Uint8Array;
}
/** Reads an IDX image file (magic 2051), gzipped or not. */
export declare function readIdxImages(path: string): IdxImages;
/** Reads an IDX label file (magic 2049), gzipped or not. */
export declare function readIdxLabels(path: string): Uint8Array;
export interface ColoredMnistOptions {
    /** Probability that the label is the flipped digit-based label (default 0.25). */
    labelNoise?: number;
    /** Probability that the colour disagrees with the label (default 0.1). */
    colourFlip?: number;
    /** Average 2×2 blocks (28 × 28 → 14 × 14; default true). */
    downsample?: boolean;
    /** Use only the first `limit` images. */
    limit?: number;
    seed: number;
}
export interface ColoredMnist extends EncodedDataset {
    height: number;
    width: number;
    /** 2: red and green. */
    channels: number;
    /** The digit of each row, for analysis. */
    digits: Uint8Array;
}
export declare const COLOUR_GROUPS: Omit<GroupIndex, 'ids'>;
/** Colours MNIST digits (see the file comment) into a data set with features [H, W, 2] per row, channels last. */
export declare function colourMnist(images: IdxImages, digits: Uint8Array, options: ColoredMnistOptions): ColoredMnist;
/** The training (train10k) and test (t10k) sets of Colored MNIST from `<dataDir>/mnist`, coloured with different seeds. */
export declare function loadColoredMnist(dataDir: string, options: ColoredMnistOptions & {
    testLimit?: number;
}): {
    train: ColoredMnist;
    test: ColoredMnist;
};
