/** Registers the replacement gradients (idempotent). */
export declare function registerGradientFixes(): void;
/** Puts the stock TensorFlow.js gradients back (benchmarks compare against them). */
export declare function restoreStockGradients(): void;
/** Whether the replacement gradients are currently registered. */
export declare function gradientFixesActive(): boolean;
