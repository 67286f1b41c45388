/**
 * ERM on Adult with fairkit and with an independent PyTorch MLP on the very same split, in one run: prints test
 * accuracy, AP and seconds per epoch for both, and the speed ratio. Skips (with a message) without the data set
 * or without python3-torch.
 */
export declare function benchmarkErmAgainstPytorch(seed?: number): Promise<void>;
