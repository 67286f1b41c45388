/** The shapes computeMetrics returns. Every metric is a number, or null when undefined (with a warning saying why). */
export {};
//# sourceMappingURL=report-types.js.map