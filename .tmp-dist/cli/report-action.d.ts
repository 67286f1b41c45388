/** `fairkit report`: loaded on demand so the other commands do not pay for Vega. */
export declare function runReport(dir: string, flags: {
    out?: string;
}): Promise<void>;
