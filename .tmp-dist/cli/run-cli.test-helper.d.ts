/** Runs `fairkit ...args` in a child process, as a user would. */
export declare function fairkit(...args: string[]): {
    status: number | null;
    stdout: string;
    stderr: string;
};
