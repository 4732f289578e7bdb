import { ConfigError, loadConfig, type Config } from './config.js';
import { databaseProblem } from './db/open-store.js';
import { loadDotEnv } from './env-file.js';

/** Requests get STOP_GRACE_MS (10 s) and the outbox's current job up to 15 s; past this the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 28_000;

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
  // A signal stops taking requests, lets those in flight be answered (STOP_GRACE_MS),
  // then stops the digest, the outbox (pending jobs stay in the database) and the
  // database, and exits 0. A second signal, or a stop still hanging after
  // SHUTDOWN_DEADLINE_MS, exits 1 at once.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      bot.logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    bot.logger.info({ signal }, 'stopping');
    setTimeout(() => {
      bot.logger.error({ afterMs: SHUTDOWN_DEADLINE_MS }, 'stop did not finish: exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    try {
      await bot.stop();
    } catch (error) {
      bot.logger.error({ err: error }, 'stop failed');
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await bot.start().catch((error: unknown) => {
    throw new Error(startFailure(error, config, bot.health.databaseReady));
  });
}

/** A URL as it can be printed: its password starred. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * Why the start failed, naming the setting to fix where one is at fault: a
 * PostgreSQL that cannot be reached is known only once the start connects
 * (SQLite's file is checked with the configuration), a taken port only once it listens.
 */
function startFailure(error: unknown, config: Config, databaseReady: boolean): string {
  const reason = error instanceof Error ? error.message : String(error);
  if (!databaseReady) return `DATABASE_URL is unusable: could not open the database at ${withoutPassword(config.database.url)}: ${reason}`;
  const { code, syscall } = error as NodeJS.ErrnoException;
  if (syscall === 'listen' && code === 'EADDRINUSE') return `PORT ${config.http.port} is taken by another process: stop it, or set PORT to a free port`;
  if (syscall === 'listen' && code === 'EACCES') return `PORT ${config.http.port} needs privileges this process lacks: set PORT to 1024 or above`;
  return reason;
}

main().catch((error: unknown) => {
  console.error('The bot could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
