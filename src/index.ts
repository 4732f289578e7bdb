import { ConfigError, loadConfig } from './config.js';
import { databaseProblem } from './db/client.js';
import { loadDotEnv } from './env-file.js';

/** `npm start`: read the environment, start the bot, stop cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    // The database is checked with the environment, so one message lists every problem.
    config = loadConfig(process.env, { database: databaseProblem });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${error.message}\nSee .env.example for every setting.`);
      process.exit(1);
    }
    throw error;
  }
  // Loaded only once the configuration is known good: a bad one is told without waiting for Bolt and the rest to load.
  const { createBot } = await import('./bot.js');
  const bot = createBot(config);
  process.on('unhandledRejection', (reason) => bot.logger.error({ err: reason }, 'unhandled rejection'));
  const shutdown = async (signal: string) => {
    bot.logger.info({ signal }, 'stopping');
    await bot.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await bot.start();
}

main().catch((error: unknown) => {
  console.error('The bot could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
