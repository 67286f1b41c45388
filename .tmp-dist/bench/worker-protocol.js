export {};
//# sourceMappingURL=worker-protocol.js.map