import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configProblems as problemsOf, MINIMAL_ENV as VALID } from '../support/config-problems.js';


describe('the team calendar time zone', () => {
  it('refuses an unknown TZ in one line naming it, its value and an example, instead of reading the calendar in UTC', () => {
    // Europe/Pariss used to give UTC: the Monday 09:00 digest went out at 10:00 (11:00 in summer), unsaid.
    expect(problemsOf({ TZ: 'Europe/Pariss' })).toEqual([
      'TZ must be an IANA time zone like Europe/Paris, not Europe/Pariss (it is the team calendar while DIGEST_TIMEZONE is unset)',
    ]);
    expect(problemsOf({ TZ: '/etc/localtime' })).toEqual([
      'TZ must be an IANA time zone like Europe/Paris, not /etc/localtime (it is the team calendar while DIGEST_TIMEZONE is unset)',
    ]);
  });

  it('refuses an unknown DIGEST_TIMEZONE with its value', () => {
    expect(problemsOf({ DIGEST_TIMEZONE: 'Paris' })).toEqual(['DIGEST_TIMEZONE must be an IANA time zone like Europe/Paris, not Paris']);
    expect(problemsOf({ DIGEST_TIMEZONE: 'Paris', TZ: 'Europe/Pariss' })).toEqual(['DIGEST_TIMEZONE must be an IANA time zone like Europe/Paris, not Paris']);
  });

  it('reads TZ as the C library does, and leaves it alone when DIGEST_TIMEZONE is set', () => {
    expect(loadConfig({ ...VALID, TZ: 'Europe/Paris' }).timeZone).toBe('Europe/Paris');
    expect(loadConfig({ ...VALID, TZ: ':Europe/Paris' }).timeZone).toBe('Europe/Paris');
    expect(loadConfig({ ...VALID, TZ: '/usr/share/zoneinfo/America/New_York' }).timeZone).toBe('America/New_York');
    expect(loadConfig({ ...VALID, TZ: 'not/a-zone', DIGEST_TIMEZONE: 'Asia/Tokyo' }).timeZone).toBe('Asia/Tokyo');
    expect(loadConfig({ ...VALID, DIGEST_TIMEZONE: ' Asia/Tokyo ' }).timeZone).toBe('Asia/Tokyo');
    expect(loadConfig({ ...VALID, TZ: '' }).timeZone).toBe('UTC');
    expect(loadConfig(VALID).timeZone).toBe('UTC');
  });
});
