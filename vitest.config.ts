import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Vitest's default is one worker per core but one, so a single worker on a 2-core machine.
    // The e2e files spend most of their time waiting on loopback (a bot, a stand-in, a real
    // Prometheus or Alertmanager answering): four at once keep both cores busy, and take the
    // whole suite from about 250 s to about 100 s here. Every wait in the tests is a bounded poll,
    // never a timed assertion, so the extra contention slows them, not breaks them.
    maxWorkers: 4,
  },
});
