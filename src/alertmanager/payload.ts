import { z } from 'zod';
import type { AlertNotification } from '../domain/alerts.js';
import { inertLabels, inertUrl } from './inert-text.js';

/** Every label and annotation set is made inert as it is parsed (inert-text.ts): nothing from an alert can become a mention. */
const labels = z.record(z.string(), z.string()).transform(inertLabels);
const RFC_3339 = 'must be an RFC 3339 time with a year from 0001 to 9999, like 2026-12-03T14:54:45.572Z';
/**
 * Alertmanager's timestamps: RFC 3339 as Go writes them, to the nanosecond and
 * with an offset (`2026-12-03T15:54:45.572123456+01:00`); `0001-01-01T00:00:00Z`,
 * Go's zero time, means "not set" (a firing alert's endsAt). Date.parse was no
 * check: it read "foo 1" and "1" as 2001-01-01 and took -200000-01-01, which
 * PostgreSQL cannot store, so the notification's job failed for ever. zod's
 * ISO check is RFC 3339's grammar (seconds, `Z` or ±hh:mm, a day the month
 * has, four-digit years); year 0000 is refused too, as Go's time starts at
 * year 1. RFC 3339 allows `t` and `z` in lower case: read as upper case.
 */
const timestamp = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.iso.datetime({ offset: true, error: RFC_3339 }).refine((s) => !s.startsWith('0000-'), RFC_3339));

const Alert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels,
  annotations: labels.default({}),
  startsAt: timestamp,
  endsAt: timestamp.optional(),
  generatorURL: z.string().transform(inertUrl).optional(),
  fingerprint: z.string().min(1),
});

/** The webhook body of Alertmanager (version 4), the fields the bot reads; unknown fields are allowed (later versions add some). */
export const WebhookPayload = z.object({
  version: z.literal('4', { error: 'version must be "4" (Alertmanager webhook payload version 4)' }),
  groupKey: z.string().min(1),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: labels,
  commonLabels: labels,
  commonAnnotations: labels,
  externalURL: z.string(),
  truncatedAlerts: z.number().int().nonnegative().default(0),
  alerts: z.array(Alert),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;

function time(text: string | undefined): Date | null {
  if (!text) return null;
  const date = new Date(text);
  // Year 1 is Go's zero time: Alertmanager's way of saying "no end yet".
  return date.getUTCFullYear() <= 1 ? null : date;
}

/**
 * JSON's \u0000 dropped from every string and key: PostgreSQL refuses NUL in
 * text and jsonb, and a notification it refused would be retried by
 * Alertmanager for ever. It carries nothing a person reads.
 */
function withoutNul(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\0', '');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  if (!Object.keys(value).some((k) => k.includes('\0'))) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replaceAll('\0', ''), v]));
}

/** Parses a body: the notification, or the reasons it is not one (for the 400 answer). */
export function parseWebhookPayload(raw: Buffer | string): { ok: true; notification: AlertNotification; truncated: number } | { ok: false; reason: string } {
  let json: unknown;
  try {
    const text = typeof raw === 'string' ? raw : raw.toString('utf8');
    // The reviver costs a storm's large bodies time: only where a NUL can be.
    json = /\\u0000/i.test(text) ? JSON.parse(text, withoutNul) : JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `the body is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = WebhookPayload.safeParse(json);
  if (!parsed.success) {
    const reasons = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    return { ok: false, reason: `not an Alertmanager webhook (version 4): ${reasons.join('; ')}` };
  }
  const p = parsed.data;
  return {
    ok: true,
    truncated: p.truncatedAlerts,
    notification: {
      groupKey: p.groupKey,
      status: p.status,
      commonLabels: p.commonLabels,
      alerts: p.alerts.map((a) => ({
        status: a.status,
        labels: a.labels,
        annotations: a.annotations,
        startsAt: new Date(a.startsAt),
        endsAt: time(a.endsAt),
        generatorUrl: a.generatorURL || null,
        fingerprint: a.fingerprint,
      })),
    },
  };
}
