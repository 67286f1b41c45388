/**
 * Shared shapes of the data layer. Everything downstream (metrics, nn, train, methods, cli)
 * talks in these types, so change them only with care.
 */
export {};
//# sourceMappingURL=types.js.map