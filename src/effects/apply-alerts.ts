import type { ClaimedJob } from '../db/outbox.repo.js';
import { receiveAlerts } from '../domain/alerts.js';
import { recordedAlertNotification } from '../domain/recorded-alerts.js';
import type { EffectContext } from './context.js';

/**
 * Applies a notification the webhook recorded: declares, joins, reopens or
 * offers, in one transaction (src/domain/alerts.ts). A retry after a crash
 * mid-job finds the alerts it already applied and changes nothing more.
 */
export async function applyAlerts(ctx: EffectContext, job: ClaimedJob & { kind: 'alert.receive' }): Promise<void> {
  const notification = recordedAlertNotification(job.payload.notification);
  const outcome = await receiveAlerts(ctx.deps, ctx.config.alertmanager.rules, notification, new Date(job.payload.receivedAt));
  ctx.logger.info({ groupKey: notification.groupKey, alerts: notification.alerts.length, outcome }, 'alertmanager notification applied');
}
