/**
 * An Alertmanager notification as the webhook records it before its 200 (an
 * `alert.receive` outbox job): plain JSON, times as ISO strings, so the
 * outbox applies exactly what arrived, after a crash as well.
 */
import type { AlertNotification, ReceivedAlert } from './alerts.js';

/** A received alert with its times as ISO strings: derived, so the two shapes cannot drift apart. */
type RecordedAlert = Omit<ReceivedAlert, 'startsAt' | 'endsAt'> & { readonly startsAt: string; readonly endsAt: string | null };

export interface RecordedAlertNotification extends Omit<AlertNotification, 'alerts' | 'status'> {
  /** Absent from jobs recorded before the group's status was kept: read from their alerts then. */
  readonly status?: AlertNotification['status'];
  readonly alerts: readonly RecordedAlert[];
}

export function recordAlertNotification(notification: AlertNotification): RecordedAlertNotification {
  return {
    groupKey: notification.groupKey,
    status: notification.status,
    commonLabels: notification.commonLabels,
    alerts: notification.alerts.map((a) => ({ ...a, startsAt: a.startsAt.toISOString(), endsAt: a.endsAt?.toISOString() ?? null })),
  };
}

export function recordedAlertNotification(recorded: RecordedAlertNotification): AlertNotification {
  return {
    groupKey: recorded.groupKey,
    status: recorded.status ?? (recorded.alerts.every((a) => a.status === 'resolved') ? 'resolved' : 'firing'),
    commonLabels: recorded.commonLabels,
    alerts: recorded.alerts.map((a) => ({ ...a, startsAt: new Date(a.startsAt), endsAt: a.endsAt === null ? null : new Date(a.endsAt) })),
  };
}
