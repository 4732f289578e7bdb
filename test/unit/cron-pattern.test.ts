import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { DigestRunner } from '../../src/jobs/digest-runner.js';
import { DigestScheduler } from '../../src/jobs/digest-scheduler.js';
import { FixedClock } from '../support/fixed-clock.js';

const VALID = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };

function cronProblems(expression: string): string[] {
  try {
    loadConfig({ ...VALID, DIGEST_CRON: expression });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.filter((p) => p.startsWith('DIGEST_CRON '));
    throw error;
  }
}

/** DIGEST_CRON as croner 9 read it, kept across croner 11 (see src/jobs/cron-pattern.ts). */
describe('DIGEST_CRON across croner majors', () => {
  it('still refuses a seventh field (years), as the configuration says: five fields or six', () => {
    expect(cronProblems('0 0 9 * * 1 2027')).toEqual(['DIGEST_CRON must be a cron expression of five fields (or six, with seconds), like "0 9 * * 1"']);
    expect(() => new DigestScheduler('0 0 9 * * 1 2027', 'UTC', {} as DigestRunner, new FixedClock(), pino({ level: 'silent' }))).toThrow();
  });

  it('still starts with a step from a number (0/30), which croner 9 accepted, and fires at both times', () => {
    expect(cronProblems('0/30 9 * * 1')).toEqual([]);
    const s = new DigestScheduler('0/30 9 * * 1', 'UTC', {} as DigestRunner, new FixedClock(), pino({ level: 'silent' }));
    expect(s.nextTick(new Date('2026-11-23T08:00:00Z'))?.toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(s.nextTick(new Date('2026-11-23T09:00:00Z'))?.toISOString()).toBe('2026-11-23T09:30:00.000Z');
  });
});
