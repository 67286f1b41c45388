/**
 * The one error type users see. Its message says what was wrong, where (file, line, column, option)
 * and, when there is one, what to do. The CLI prints `message` alone on one line and exits non-zero.
 */
export declare class FairkitError extends Error {
    readonly where?: string;
    readonly fix?: string;
    constructor(what: string, options?: {
        where?: string;
        fix?: string;
        cause?: unknown;
    });
}
