/**
 * Reads `.env` from the working folder into `process.env`, when there is
 * one, with Node's own reader (`process.loadEnvFile`, Node 20.12 and later;
 * it replaced the dotenv package). Like dotenv, a variable the environment
 * already sets is never overridden, even by an empty one, and no file is
 * no error: the environment alone is a complete configuration.
 */
export function loadDotEnv(path = '.env'): void {
  try {
    process.loadEnvFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
