import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AlertRules } from '../domain/alert-rules.js';
import { receiveAlerts } from '../domain/alerts.js';
import type { Deps } from '../domain/ports.js';
import { parseWebhookPayload } from './payload.js';

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * `Authorization: Bearer <token>` compared in constant time. Both sides are
 * hashed first so that the comparison takes as long whatever the length of
 * what was sent.
 */
export function validBearerToken(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '');
  if (!match?.[1]) return false;
  const given = createHash('sha256').update(match[1].trim()).digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected);
}

/**
 * `POST /alertmanager/webhook`. A missing or wrong token gets 401 and a body
 * that is not a version-4 notification 400 with the reason, both changing
 * nothing. Otherwise the notification is applied in one transaction before
 * the 200: Alertmanager retries anything else, and a retry of an applied one
 * changes nothing. No Slack or Prometheus call happens here (the outbox does
 * them), so the answer never waits on either.
 */
export function alertmanagerWebhookHandler(token: string, rules: AlertRules, deps: Deps, logger: Logger) {
  // The server has read the body, bounded by BODY_LIMITS.alertmanagerWebhook, before the token is checked.
  return (req: IncomingMessage, res: ServerResponse, raw: Buffer): void => {
    if (!validBearerToken(req.headers.authorization, token)) {
      reply(res, 401, { error: 'missing or wrong bearer token (ALERTMANAGER_WEBHOOK_TOKEN)' });
      return;
    }
    const parsed = parseWebhookPayload(raw);
    if (!parsed.ok) {
      reply(res, 400, { error: parsed.reason });
      return;
    }
    const outcome = receiveAlerts(deps, rules, parsed.notification);
    logger.info({ groupKey: parsed.notification.groupKey, alerts: parsed.notification.alerts.length, truncated: parsed.truncated, outcome }, 'alertmanager webhook');
    reply(res, 200, { status: 'ok' });
  };
}
