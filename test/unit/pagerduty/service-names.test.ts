import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { PagerDutyClient } from '../../../src/pagerduty/client.js';
import { pagingPolicy } from '../../../src/pagerduty/policy.js';

const BASE = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's' };

describe('PagerDuty service names that are also object property names', () => {
  it('refuses __proto__ as a service name at start, saying which setting', () => {
    expect(() => loadConfig({ ...BASE, PAGERDUTY_SERVICES: '__proto__=KEY1' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...BASE, PAGERDUTY_SERVICES: 'db=KEY1,__proto__=KEY2' })).toThrow(/PAGERDUTY_SERVICES/);
  });

  it('has no routing key for a name that only the object prototype knows', () => {
    const config = loadConfig({ ...BASE, PAGERDUTY_ROUTING_KEY: 'DEFAULTKEY', PAGERDUTY_SERVICES: 'db=DBKEY' });
    const client = new PagerDutyClient(config.pagerduty);
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(client.routingKey(name)).toBeUndefined();
    }
    expect(client.routingKey('db')).toBe('DBKEY');
    expect(pagingPolicy(config).services).toEqual(['default', 'db']);
  });

  it('treats a configured service called constructor as just a name', () => {
    const config = loadConfig({ ...BASE, PAGERDUTY_SERVICES: 'constructor=CKEY' });
    expect(new PagerDutyClient(config.pagerduty).routingKey('constructor')).toBe('CKEY');
    expect(pagingPolicy(config).services).toEqual(['constructor']);
  });
});
