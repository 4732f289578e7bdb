/**
 * Where `npm run demo` keeps its database: in the repository's ./data (as the
 * README says), not a temporary folder, so that `npm run postmortem` can read
 * the incident the demo just played. Each demo starts from an empty one, so
 * the scripted incident is always INC-1.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** As typed in the suggested command; npm runs scripts from the repository root, where it resolves. */
export const DEMO_DATABASE_URL = './data/demo.db';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Removes the last demo's database and its WAL companions; returns the file to open. */
export function freshDemoDatabase(root: string = ROOT): string {
  const file = join(root, DEMO_DATABASE_URL);
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
  return file;
}

/** The exact command that prints the demo incident's whole postmortem draft. */
export function postmortemCommand(incident: number): string {
  return `DATABASE_URL=${DEMO_DATABASE_URL} npm run postmortem -- ${incident}`;
}
