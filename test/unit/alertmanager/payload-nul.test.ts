import { describe, expect, it } from 'vitest';
import { parseWebhookPayload } from '../../../src/alertmanager/payload.js';

const body = (label: string) =>
  `{"version":"4","groupKey":"{}:{alertname=\\"A\\"}","status":"firing","receiver":"bot","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am",` +
  `"alerts":[{"status":"firing","labels":{"alertname":"A","${label}":"x${label}y"},"annotations":{"summary":"s\\u0000"},"startsAt":"2026-12-04T10:00:00Z","fingerprint":"f1"}]}`;

describe('Alertmanager payload: NUL characters', () => {
  it('drops \\u0000 from keys and values, which PostgreSQL would refuse', () => {
    const parsed = parseWebhookPayload(body('te\\u0000am'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const alert = parsed.notification.alerts[0]!;
    expect(alert.labels).toEqual({ alertname: 'A', team: 'xteamy' });
    expect(alert.annotations).toEqual({ summary: 's' });
    expect(JSON.stringify(parsed.notification)).not.toContain('\\u0000');
  });

  it('leaves a body without one as it is', () => {
    const parsed = parseWebhookPayload(body('team'));
    expect(parsed.ok && parsed.notification.alerts[0]!.labels).toEqual({ alertname: 'A', team: 'xteamy' });
  });
});
