/**
 * The one error type users see. Its message says what was wrong, where (file, line, column, option)
 * and, when there is one, what to do. The CLI prints `message` alone on one line and exits non-zero.
 */
export class FairkitError extends Error {
    where;
    fix;
    constructor(what, options = {}) {
        const parts = [options.where ? `${options.where}: ${what}` : what];
        if (options.fix)
            parts.push(options.fix);
        super(parts.join('. ').replace(/\.\./g, '.'), { cause: options.cause });
        this.name = 'FairkitError';
        this.where = options.where;
        this.fix = options.fix;
    }
}
//# sourceMappingURL=errors.js.map