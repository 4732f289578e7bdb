import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Vitest's default is one worker per core but one: a single worker on a 2-core machine. The
    // e2e files mostly wait on loopback (a bot, a stand-in, a real Prometheus or Alertmanager), so
    // three at once keep both cores busy: the whole suite ~250 s -> ~125 s here. Four was faster
    // still but starved the tests bound to an answer within a second (the alert storm's webhooks).
    maxWorkers: 3,
  },
});
