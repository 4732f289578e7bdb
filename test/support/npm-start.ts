import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How long a start may take before it counts as hung and is killed: generous for two shared cores loading the whole app through tsx; a hang is forever. */
export const START_DEADLINE_MS = 25_000;

export interface StartResult {
  readonly code: number | null;
  readonly stderr: string;
  /** Killed at the deadline: the start neither failed nor exited. */
  readonly hung: boolean;
}

/** Runs `tsx src/index.ts` (what `npm start` runs) in `cwd` with only `env` (and PATH); kills it at the deadline. */
export function npmStart(cwd: string, env: Record<string, string>): Promise<StartResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src/index.ts')], {
      cwd,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let hung = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, START_DEADLINE_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, hung });
    });
  });
}
