/**
 * For a vitest project whose harnesses run on PostgreSQL (STORE=postgres in
 * its `env` or in the shell): one server for the whole run, with a migrated
 * template every harness database is copied from, named to the test
 * processes in HARNESS_POSTGRES_URL and stopped when the run ends. Vitest
 * runs each file in a process of its own, ended with SIGTERM (no exit hook
 * runs): a server per process would cost 1.3-1.6 s a file here and leave its
 * folder behind. Without PostgreSQL, postgresAvailable's rule: locally the
 * harness says which package is missing, with CI=true this fails the run.
 */
import type { TestProject } from 'vitest/node';
import { HARNESS_POSTGRES_URL, startTemplateServer } from './harness-postgres.js';
import { postgresAvailable } from './postgres-server.js';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const store = project.config.env?.STORE ?? process.env.STORE;
  if (store !== 'postgres' || process.env[HARNESS_POSTGRES_URL]) return undefined;
  if (!postgresAvailable(`${project.name} on PostgreSQL`)) return undefined;
  const server = await startTemplateServer();
  // Set before the test processes fork, so each inherits it (as global-setup.ts's certificate).
  process.env[HARNESS_POSTGRES_URL] = server.url;
  return async () => {
    delete process.env[HARNESS_POSTGRES_URL];
    await server.stop();
  };
}
