import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWebhookPayload } from '../../../src/alertmanager/payload.js';
import { validBearerToken } from '../../../src/alertmanager/webhook.js';

const FIRING = readFileSync('test/fixtures/alertmanager/firing.json', 'utf8');
const RESOLVED = readFileSync('test/fixtures/alertmanager/resolved.json', 'utf8');

describe('Alertmanager webhook parsing', () => {
  it('accepts only the exact bearer token', () => {
    expect(validBearerToken('Bearer s3cret', 's3cret')).toBe(true);
    expect(validBearerToken('bearer s3cret', 's3cret')).toBe(true);
    expect(validBearerToken('Bearer s3cre', 's3cret')).toBe(false);
    expect(validBearerToken('Bearer s3cret2', 's3cret')).toBe(false);
    expect(validBearerToken('Basic s3cret', 's3cret')).toBe(false);
    expect(validBearerToken(undefined, 's3cret')).toBe(false);
    expect(validBearerToken('Bearer ', 's3cret')).toBe(false);
  });

  it("reads Alertmanager 0.25's payloads: Go's zero endsAt is no end, a resolved alert's endsAt is kept", () => {
    const firing = parseWebhookPayload(FIRING);
    if (!firing.ok) throw new Error(firing.reason);
    expect(firing.notification.alerts[0]).toMatchObject({ status: 'firing', fingerprint: '470fc0bb105cf411', endsAt: null, startsAt: new Date('2026-12-03T14:54:45.572Z') });
    expect(firing.notification.alerts[0]!.generatorUrl).toMatch(/^http:\/\/prometheus.example:9090\/graph/);
    const resolved = parseWebhookPayload(RESOLVED);
    if (!resolved.ok) throw new Error(resolved.reason);
    expect(resolved.notification.alerts[0]!.status).toBe('resolved');
    expect(resolved.notification.alerts[0]!.endsAt).toBeInstanceOf(Date);
    expect(resolved.notification.groupKey).toBe(firing.notification.groupKey);
  });

  it('says why a body is refused', () => {
    const body = JSON.parse(FIRING) as Record<string, unknown>;
    expect(parseWebhookPayload('nope')).toMatchObject({ ok: false, reason: expect.stringMatching(/not JSON/) });
    expect(parseWebhookPayload(JSON.stringify({ ...body, groupKey: undefined }))).toMatchObject({ ok: false, reason: expect.stringMatching(/groupKey/) });
    expect(parseWebhookPayload(JSON.stringify({ ...body, alerts: [{ ...(body.alerts as object[])[0], startsAt: 'yesterday' }] }))).toMatchObject({ ok: false, reason: expect.stringMatching(/alerts\.0\.startsAt: must be an RFC 3339 time/) });
  });
});
