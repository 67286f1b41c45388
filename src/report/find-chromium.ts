import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** The headless browser for the rendering test: $FAIRKIT_CHROMIUM, else the first of NAMES on the PATH, else null. */
export function findChromium(): string | null {
  const fromEnv = process.env.FAIRKIT_CHROMIUM;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of NAMES) {
      const candidate = join(folder, name);
      if (folder !== '' && existsSync(candidate)) return candidate;
    }
  }
  return null;
}
