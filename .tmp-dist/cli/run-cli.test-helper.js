import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
/** The CLI entry beside this file: main.ts under tsx, main.js once compiled. */
const runningTs = import.meta.url.endsWith('.ts');
const cli = fileURLToPath(new URL(runningTs ? './main.ts' : './main.js', import.meta.url));
/** Runs `fairkit ...args` in a child process, as a user would. */
export function fairkit(...args) {
    const result = spawnSync(process.execPath, [...(runningTs ? ['--import', 'tsx'] : []), cli, ...args], { encoding: 'utf8', env: { ...process.env, FAIRKIT_BACKEND: process.env.FAIRKIT_BACKEND ?? 'wasm' } });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
//# sourceMappingURL=run-cli.test-helper.js.map