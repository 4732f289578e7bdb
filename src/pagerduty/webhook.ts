import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';
import { recordPagerDutyUpdate } from '../domain/paging.js';
import type { Deps } from '../domain/ports.js';

/** The parts of a v3 webhook the bot reads (developer.pagerduty.com, "Webhooks v3"). */
const WebhookBody = z.object({
  event: z.object({
    id: z.string(),
    event_type: z.string(),
    // Read here, not later: an unreadable time became an Invalid Date that failed the insert, a 500 that PagerDuty retries.
    occurred_at: z.iso.datetime({ offset: true }).transform((at) => new Date(at)),
    agent: z.object({ summary: z.string().optional(), name: z.string().optional() }).nullish(),
    data: z.object({
      incident_key: z.string().nullish(),
      dedup_key: z.string().nullish(),
    }).loose(),
  }),
});

const HANDLED = ['incident.acknowledged', 'incident.resolved', 'incident.escalated'] as const;

/** `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]`, HMAC-SHA256 of the raw body; any one match is enough (secret rotation). */
export function validPagerDutySignature(raw: Buffer, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(raw).digest('hex'));
  return header
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('v1='))
    .some((s) => {
      const given = Buffer.from(s.slice(3));
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * `POST /pagerduty/webhook`: acknowledgements, resolves and escalations of
 * our pages go on the incident timeline. A bad signature gets 401 and changes
 * nothing; anything else we do not track gets 200 so PagerDuty stops retrying.
 */
export function pagerDutyWebhookHandler(secret: string, deps: Deps, logger: Logger) {
  // The server has read the body, bounded by the route's limit (BODY_LIMITS.pagerDutyWebhook), before the signature is checked.
  return async (req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> => {
    if (!validPagerDutySignature(raw, req.headers['x-pagerduty-signature'] as string | undefined, secret)) {
      reply(res, 401, { error: 'invalid signature' });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      reply(res, 400, { error: 'not a PagerDuty v3 webhook: the body is not JSON' });
      return;
    }
    const parsed = WebhookBody.safeParse(json);
    if (!parsed.success) {
      // Which field and why, for whoever reads the delivery in PagerDuty's webhook log.
      const reasons = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
      reply(res, 400, { error: `not a PagerDuty v3 webhook: ${reasons.join('; ')}` });
      return;
    }
    const { event } = parsed.data;
    const dedupKey = event.data.incident_key ?? event.data.dedup_key;
    if (!(HANDLED as readonly string[]).includes(event.event_type) || !dedupKey) {
      reply(res, 200, { outcome: 'ignored' });
      return;
    }
    const outcome = await recordPagerDutyUpdate(deps, {
      eventId: event.id,
      type: event.event_type as (typeof HANDLED)[number],
      dedupKey,
      occurredAt: event.occurred_at,
      agentName: event.agent?.summary ?? event.agent?.name ?? null,
    });
    logger.info({ eventType: event.event_type, outcome }, 'pagerduty webhook');
    reply(res, 200, { outcome });
  };
}
