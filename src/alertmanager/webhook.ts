import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Deps } from '../domain/ports.js';
import { recordAlertNotification } from '../domain/recorded-alerts.js';
import { BatchedRecorder } from './batched-recorder.js';
import { alertmanagerWebhooks } from '../metrics/registry.js';
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
 * nothing. Otherwise the notification is recorded (one outbox row, in one
 * transaction with the webhooks that came with it: BatchedRecorder) before the
 * 200, and applied from the outbox (src/effects/apply-alerts.ts): the answer
 * costs one insert however many alerts and incidents the notification makes,
 * so a storm's webhooks are answered as fast as the bot answers anything.
 * Alertmanager retries anything but a 2xx; a retry, or a repeat of the group,
 * is recorded again and its application finds nothing changed.
 */
export function alertmanagerWebhookHandler(token: string, deps: Deps, logger: Logger) {
  const recorder = new BatchedRecorder(deps);
  // The server has read the body, bounded by BODY_LIMITS.alertmanagerWebhook, before the token is checked.
  return async (req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> => {
    if (!validBearerToken(req.headers.authorization, token)) {
      alertmanagerWebhooks.inc({ outcome: 'unauthorized' });
      reply(res, 401, { error: 'missing or wrong bearer token (ALERTMANAGER_WEBHOOK_TOKEN)' });
      return;
    }
    const parsed = parseWebhookPayload(raw);
    if (!parsed.ok) {
      alertmanagerWebhooks.inc({ outcome: 'bad_request' });
      reply(res, 400, { error: parsed.reason });
      return;
    }
    const { notification, truncated } = parsed;
    // A database that refuses the write throws here: the server answers 500 and Alertmanager retries.
    await recorder.record({ kind: 'alert.receive', incidentId: null, payload: { receivedAt: deps.clock.now().toISOString(), notification: recordAlertNotification(notification) } });
    // max_alerts in the receiver's config cut the list: the alerts left out are not seen until they are sent.
    if (truncated > 0) logger.warn({ groupKey: notification.groupKey, truncated }, 'Alertmanager left out alerts of this group (max_alerts)');
    alertmanagerWebhooks.inc({ outcome: 'accepted' });
    reply(res, 200, { status: 'ok' });
  };
}
