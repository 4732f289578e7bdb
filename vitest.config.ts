import { defineConfig } from 'vitest/config';
import { postgresAvailable } from './test/support/postgres-server.js';

/**
 * The end-to-end files that also run on PostgreSQL (the e2e-postgres project):
 * those that cover what the product promises, within the budget of a
 * minute more for the whole suite. Measured on 2 cores: these 12 take 50 s
 * alone (30 s on SQLite) and the whole suite 200 s against 150 s without
 * them, with 9 s of the minute left. The rest run on PostgreSQL with
 * STORE=postgres, but those about SQLite itself (wal-checkpoints, backup,
 * crash-at-ack's file, readiness's lock, the scripts that read SQLite) stay
 * SQLite whatever STORE says.
 */
const E2E_ON_POSTGRES = [
  'declare',
  'running-an-incident',
  'action-items',
  'pagerduty',
  'alertmanager-webhook',
  'digest',
  'private-incidents',
  'faults',
  'outbox-fairness',
  'outbox-priority',
  'stats',
  'app-home',
].map((name) => `test/e2e/${name}.test.ts`);

const shared = {
  globalSetup: ['test/support/global-setup.ts', 'test/support/postgres-global-setup.ts'],
  testTimeout: 20_000,
  hookTimeout: 20_000,
};

export default defineConfig({
  test: {
    pool: 'forks',
    // Vitest's default is one worker per core but one: a single worker on a 2-core machine. The
    // e2e files mostly wait on loopback (a bot, a stand-in, a real Prometheus or Alertmanager), so
    // three at once keep both cores busy: the whole suite ~250 s -> ~125 s here. Four was faster
    // still but starved the tests bound to an answer within a second (the alert storm's webhooks).
    // Shared by both projects.
    maxWorkers: 3,
    projects: [
      // Everything, end-to-end files on SQLite (STORE=postgres in the shell puts their harnesses on PostgreSQL).
      { test: { name: 'sqlite', include: ['test/**/*.test.ts'], ...shared } },
      // Without PostgreSQL's binaries: skipped locally with one line naming the package; with CI=true, a failure.
      ...(postgresAvailable('e2e-postgres project')
        ? [{ test: { name: 'e2e-postgres', include: E2E_ON_POSTGRES, env: { STORE: 'postgres' }, setupFiles: ['test/support/harness-postgres-setup.ts'], ...shared } }]
        : []),
    ],
  },
});
