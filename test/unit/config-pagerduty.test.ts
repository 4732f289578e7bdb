import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configProblems as problemsOf, MINIMAL_ENV as VALID } from '../support/config-problems.js';


describe('the PagerDuty API URLs', () => {
  it('refuses what pdjs would drop unsaid: http://, a path, a query, credentials', () => {
    // pdjs takes a host and always speaks HTTPS: http://pd-proxy:8080 became https://pd-proxy:8080 and every page failed.
    for (const url of ['http://pd-proxy:8080', 'https://proxy.internal/pagerduty', 'https://events.pagerduty.com/v2/enqueue', 'https://events.pagerduty.com?x=1', 'https://u:p@events.pagerduty.com']) {
      expect(problemsOf({ PAGERDUTY_EVENTS_URL: url, PAGERDUTY_API_URL: url }), url).toEqual([
        'PAGERDUTY_EVENTS_URL must be an https:// URL of a host, with no path, like https://events.pagerduty.com',
        'PAGERDUTY_API_URL must be an https:// URL of a host, with no path, like https://api.pagerduty.com',
      ]);
    }
    expect(problemsOf({ PAGERDUTY_EVENTS_URL: 'events.pagerduty.com' })).toEqual([
      'PAGERDUTY_EVENTS_URL must be an https:// URL of a host, with no path, like https://events.pagerduty.com',
    ]);
  });

  it('keeps the host and port of an https:// URL, with or without its slash, and defaults to PagerDuty', () => {
    const config = loadConfig({ ...VALID, PAGERDUTY_EVENTS_URL: ' https://pd-proxy.internal:8443/ ', PAGERDUTY_API_URL: 'https://api.eu.pagerduty.com' });
    expect([config.pagerduty.eventsHost, config.pagerduty.apiHost]).toEqual(['pd-proxy.internal:8443', 'api.eu.pagerduty.com']);
    const defaults = loadConfig({ ...VALID, PAGERDUTY_EVENTS_URL: '' });
    expect([defaults.pagerduty.eventsHost, defaults.pagerduty.apiHost]).toEqual(['events.pagerduty.com', 'api.pagerduty.com']);
  });
});
