import type { ClaimedJob } from '../db/outbox.repo.js';
import { receiveAlerts } from '../domain/alerts.js';
import { recordedAlertNotification } from '../domain/recorded-alerts.js';
import { DomainError } from '../domain/errors.js';
import type { EffectContext } from './context.js';
import { PermanentFailure } from './failures.js';

/**
 * Applies a notification the webhook recorded: declares, joins, reopens or
 * offers, in one transaction (src/domain/alerts.ts). A retry after a crash
 * mid-job finds the alerts it already applied and changes nothing more.
 */
export async function applyAlerts(ctx: EffectContext, job: ClaimedJob & { kind: 'alert.receive' }): Promise<void> {
  const notification = recordedAlertNotification(job.payload.notification);
  const outcome = await receiveAlerts(ctx.deps, ctx.config.alertmanager.rules, notification, new Date(job.payload.receivedAt)).catch((error: unknown) => {
    // What an alert says that the domain refuses is refused the same way an hour later: given up at
    // once, and reported to the announce channel (reportFailure) rather than retried in silence.
    if (error instanceof DomainError && error.code === 'INVALID_INPUT') throw new PermanentFailure(error.userMessage);
    throw error;
  });
  ctx.logger.info({ groupKey: notification.groupKey, alerts: notification.alerts.length, outcome }, 'alertmanager notification applied');
}
