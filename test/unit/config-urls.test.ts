import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configProblems as problemsOf, MINIMAL_ENV as VALID } from '../support/config-problems.js';


describe('the Prometheus and Slack API URLs', () => {
  it('refuses a host written without http:// (a URL of scheme "prometheus:" to the parser), where every SLO query failed at run time', () => {
    for (const url of ['prometheus:9090', 'localhost:9090', 'ftp://prometheus']) {
      expect(problemsOf({ PROMETHEUS_URL: url, SLACK_API_URL: url }), url).toEqual([
        'SLACK_API_URL must be a URL like https://slack.com/api/',
        'PROMETHEUS_URL must be a URL like http://prometheus:9090',
      ]);
    }
  });

  it('takes http:// and https://, a path prefix included', () => {
    const config = loadConfig({ ...VALID, PROMETHEUS_URL: 'https://metrics.internal/prometheus', SLACK_API_URL: 'http://127.0.0.1:4000/api' });
    expect(config.prometheus?.url).toBe('https://metrics.internal/prometheus');
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:4000/api/');
  });
});
