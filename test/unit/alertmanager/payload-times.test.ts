import { describe, expect, it } from 'vitest';
import { parseWebhookPayload } from '../../../src/alertmanager/payload.js';

/** Alertmanager's startsAt and endsAt: RFC 3339, years 0001 to 9999, nothing Date.parse happens to read. */
function parse(startsAt: string, endsAt?: string) {
  const alert = { status: 'firing', labels: { alertname: 'A' }, annotations: {}, startsAt, ...(endsAt === undefined ? {} : { endsAt }), fingerprint: 'f1' };
  return parseWebhookPayload(
    JSON.stringify({ version: '4', groupKey: 'g', status: 'firing', receiver: 'bot', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am', alerts: [alert] }),
  );
}

const BAD = [
  'foo 1',
  '1',
  '2026',
  '-200000-01-01T00:00:00Z',
  '+002026-12-03T14:54:45Z',
  '10000-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-12-03T24:00:00Z',
  '2026-12-03T14:54Z',
  '2026-12-03T14:54:45',
  '2026-12-03 14:54:45Z',
  '2026-12-03T14:54:45+0100',
  '2026-12-03T14:54:45.Z',
  'Thu, 03 Dec 2026 14:54:45 GMT',
  '',
];

describe('Alertmanager payload: times', () => {
  it('takes the times Alertmanager writes: milliseconds, nanoseconds and an offset, Go zero time as no end', () => {
    const cases: [string, string | undefined, string, string | null][] = [
      ['2026-12-03T14:54:45.572Z', '0001-01-01T00:00:00Z', '2026-12-03T14:54:45.572Z', null],
      ['2026-12-03T15:54:45.572123456+01:00', '2026-12-03T16:00:00-00:30', '2026-12-03T14:54:45.572Z', '2026-12-03T16:30:00.000Z'],
      ['2026-12-03t14:54:45z', undefined, '2026-12-03T14:54:45.000Z', null],
      ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z'],
      ['2028-02-29T00:00:00Z', undefined, '2028-02-29T00:00:00.000Z', null],
    ];
    for (const [startsAt, endsAt, start, end] of cases) {
      const parsed = parse(startsAt, endsAt);
      if (!parsed.ok) throw new Error(`${startsAt}: ${parsed.reason}`);
      const alert = parsed.notification.alerts[0]!;
      expect(alert.startsAt.toISOString(), startsAt).toBe(start);
      expect(alert.endsAt?.toISOString() ?? null, String(endsAt)).toBe(end);
    }
  });

  it('refuses anything else in startsAt or endsAt, naming the field', () => {
    for (const bad of BAD) {
      const start = parse(bad);
      expect(start.ok, bad).toBe(false);
      if (!start.ok) expect(start.reason, bad).toMatch(/alerts\.0\.startsAt: must be an RFC 3339 time/);
      const end = parse('2026-12-03T14:54:45.572Z', bad);
      expect(end.ok, bad).toBe(false);
      if (!end.ok) expect(end.reason, bad).toMatch(/alerts\.0\.endsAt: must be an RFC 3339 time/);
    }
  });
});
