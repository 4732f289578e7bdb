import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Why a database could not be opened, with the path as the person wrote it. */
export class DatabaseOpenError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`could not open the database at ${path}: ${reason}`);
    this.name = 'DatabaseOpenError';
  }
}

/** `ENOENT: no such file or directory, mkdir '/x'` → `no such file or directory (ENOENT)`. */
export function describeFsError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  if (!code) return error.message;
  const words = error.message.replace(new RegExp(`^${code}: `), '').replace(/, \w+ '.*'$/, '');
  return `${words} (${code})`;
}

/**
 * Creates `folder` and its missing parents, one plain mkdir each.
 *
 * Not `mkdirSync(folder, { recursive: true })`: Node 20's native recursive
 * mkdir steps back to the parent on ENOENT and forward again on EEXIST, and
 * procfs answers ENOENT to mkdir under an existing /proc, so it loops forever
 * without a word (strace: mkdir("/proc/forbidden") = ENOENT, mkdir("/proc")
 * = EEXIST, again and again). Here each missing folder is tried once, from
 * the nearest existing ancestor down, so the walk is bounded by the path's
 * depth and the first refusal is the answer.
 */
export function createFolders(folder: string): void {
  const missing: string[] = [];
  let at = folder;
  while (!existsSync(at)) {
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  if (existsSync(at) && !statSync(at).isDirectory()) throw new Error(`${at} is a file, not a folder`);
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (error) {
      // Another process (a second bot instance) made it meanwhile: fine.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
      throw new Error(`cannot create the folder ${dir}: ${describeFsError(error)}`);
    }
  }
}
