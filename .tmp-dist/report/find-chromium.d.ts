/** The headless browser for the rendering test: $FAIRKIT_CHROMIUM, else the first of NAMES on the PATH, else null. */
export declare function findChromium(): string | null;
