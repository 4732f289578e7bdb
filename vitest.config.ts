import { defineConfig } from 'vitest/config';
import { postgresAvailable } from './test/support/postgres-server.js';

/**
 * Five suites, each run and timed on its own (`npx vitest run --project <name>`): `sqlite`
 * (with `sqlite-own-process`, see OWN_PROCESS), everything that needs no server of its own;
 * `prometheus`, `alertmanager` and `postgres`, the files that start those real servers (or
 * their promtool and amtool); `e2e-postgres`, end-to-end files again on PostgreSQL.
 * `npm test` runs them all.
 */
const on = (names: readonly string[]) => names.map((name) => `test/${name}.test.ts`);

const PROMETHEUS = on(['deploy/prometheus-rules', 'e2e/prometheus-client', 'e2e/slo-live', 'e2e/slo-retention', 'e2e/metrics-prometheus']);
/** The alert path, some with Prometheus in front of Alertmanager as users run them. */
const ALERTMANAGER = on(['e2e/alertmanager-harness', 'e2e/alertmanager-real', 'e2e/alert-chain', 'contract/prometheus-examples']);

/**
 * The end-to-end files that also run on PostgreSQL: those that cover what the
 * product promises, within the budget of a minute for the suite. The
 * rest run on PostgreSQL with STORE=postgres, but those about SQLite itself
 * (wal-checkpoints, backup, crash-at-ack's file, readiness's lock, the scripts
 * that read SQLite) stay SQLite whatever STORE says.
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
const POSTGRES_ONLY = [
  'test/unit/db/postgres-*.test.ts',
  'test/unit/http/readiness-postgres.test.ts',
  'test/e2e/postgres-harness.test.ts',
  'test/e2e/harness-postgres.test.ts',
  'test/e2e/db-copy.test.ts',
  'test/e2e/replicas-postgres-*.test.ts',
  'test/e2e/socket-stop-postgres.test.ts',
];
/** The repository contract runs in the sqlite suite on SQLite and in the postgres suite on PostgreSQL (STORE_CONTRACT). */
const STORE_CONTRACT = ['test/contract/store/*.test.ts'];

/**
 * Files that read what a process holds for its whole life: its memory figures, and the
 * counters of `GET /metrics` (one registry per process, as in the bot). Each gets a process of
 * its own, with no other file's leftovers in it.
 */
const OWN_PROCESS = ['test/unit/http/garbage-pacer.test.ts', 'test/unit/metrics/*.test.ts', 'test/e2e/metrics.test.ts', 'test/deploy/grafana-dashboard.test.ts'];

const shared = {
  globalSetup: ['test/support/global-setup.ts', 'test/support/postgres-global-setup.ts'],
  testTimeout: 20_000,
  hookTimeout: 20_000,
};
/**
 * The files of these suites share their test processes and the modules already loaded: each
 * file loading the bot's module graph afresh cost 0.6 s (on two cores the sqlite suite took
 * 94 s, with 64 s of imports over its three test processes; shared, 63 s with 12 s of imports).
 * Every file starts and stops what it uses; those that read the process itself run apart
 * (OWN_PROCESS). The Prometheus and Alertmanager suites, whose files read the bot's metrics,
 * keep vitest's default of a process per file.
 */
const sharedProcesses = { ...shared, isolate: false };

export default defineConfig({
  test: {
    pool: 'forks',
    // Vitest's default is one worker per core but one: a single worker on a 2-core machine. The
    // e2e files mostly wait on loopback (a bot, a stand-in, a real Prometheus or Alertmanager), so
    // three at once keep both cores busy. Four was faster still but starved the tests bound to an
    // answer within a second (the alert storm's webhooks). Shared by all projects.
    maxWorkers: 3,
    projects: [
      {
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          exclude: [...PROMETHEUS, ...ALERTMANAGER, ...POSTGRES_ONLY, ...OWN_PROCESS],
          env: { STORE_CONTRACT: 'sqlite' },
          ...sharedProcesses,
        },
      },
      { test: { name: 'sqlite-own-process', include: OWN_PROCESS, ...shared } },
      { test: { name: 'prometheus', include: PROMETHEUS, ...shared } },
      { test: { name: 'alertmanager', include: ALERTMANAGER, ...shared } },
      // Without PostgreSQL's binaries: skipped locally with one line naming the package; with CI=true, a failure.
      ...(postgresAvailable('postgres projects')
        ? [
            { test: { name: 'postgres', include: [...POSTGRES_ONLY, ...STORE_CONTRACT], env: { STORE_CONTRACT: 'postgres' }, ...sharedProcesses } },
            {
              test: {
                name: 'e2e-postgres',
                include: E2E_ON_POSTGRES,
                env: { STORE: 'postgres' },
                setupFiles: ['test/support/harness-postgres-setup.ts'],
                ...sharedProcesses,
              },
            },
          ]
        : []),
    ],
  },
});
