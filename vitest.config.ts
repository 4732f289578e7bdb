import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // e2e files each start a bot and a stand-in on loopback ports; two cores are plenty.
    pool: 'forks',
  },
});
