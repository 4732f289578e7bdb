import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configProblems as problemsOf, MINIMAL_ENV as VALID } from '../support/config-problems.js';


describe('the Alertmanager receiver settings', () => {
  it('refuses a webhook token without an announce channel, where alerts that declare nothing were dropped unseen', () => {
    expect(problemsOf({ ALERTMANAGER_WEBHOOK_TOKEN: 'a-long-random-token', PORT: 'eighty' })).toEqual([
      'PORT must be a number from 1 to 65535',
      'INCIDENT_ANNOUNCE_CHANNEL is required with ALERTMANAGER_WEBHOOK_TOKEN: alerts that declare no incident are posted there, and without it nobody would see them (a channel id like C0123ABCD)',
    ]);
    expect(problemsOf({ ALERTMANAGER_WEBHOOK_TOKEN: 'a-long-random-token', INCIDENT_ANNOUNCE_CHANNEL: '  ' })).toHaveLength(1);
  });

  it('takes the token with an announce channel, and neither at all', () => {
    const config = loadConfig({ ...VALID, ALERTMANAGER_WEBHOOK_TOKEN: 'a-long-random-token', INCIDENT_ANNOUNCE_CHANNEL: 'C0ANNOUNCE' });
    expect(config.alertmanager.webhookToken).toBe('a-long-random-token');
    expect(config.alertmanager.rules.announceChannel).toBe('C0ANNOUNCE');
    expect(problemsOf({ ALERTMANAGER_WEBHOOK_TOKEN: '' })).toEqual([]);
  });
});
