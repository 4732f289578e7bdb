import { ConfigError, loadConfig } from '../../src/config.js';

/** The two settings every configuration needs: with them alone, loadConfig finds nothing wrong. */
export const MINIMAL_ENV: NodeJS.ProcessEnv = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };

/** What loadConfig lists as wrong with `env` on top of `base` (the minimal settings unless told): [] when nothing is. */
export function configProblems(env: NodeJS.ProcessEnv, base: NodeJS.ProcessEnv = MINIMAL_ENV): string[] {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
