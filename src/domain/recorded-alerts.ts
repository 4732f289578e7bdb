/**
 * An Alertmanager notification as the webhook records it before its 200 (an
 * `alert.receive` outbox job): plain JSON, times as ISO strings, so the
 * outbox applies exactly what arrived, after a crash as well.
 */
import type { AlertNotification } from './alerts.js';
import type { AlertStatus } from './model.js';

export interface RecordedAlertNotification {
  readonly groupKey: string;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly alerts: readonly {
    readonly status: AlertStatus;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
    readonly startsAt: string;
    readonly endsAt: string | null;
    readonly generatorUrl: string | null;
    readonly fingerprint: string;
  }[];
}

export function recordAlertNotification(notification: AlertNotification): RecordedAlertNotification {
  return {
    groupKey: notification.groupKey,
    commonLabels: notification.commonLabels,
    alerts: notification.alerts.map((a) => ({ ...a, startsAt: a.startsAt.toISOString(), endsAt: a.endsAt?.toISOString() ?? null })),
  };
}

export function recordedAlertNotification(recorded: RecordedAlertNotification): AlertNotification {
  return {
    groupKey: recorded.groupKey,
    commonLabels: recorded.commonLabels,
    alerts: recorded.alerts.map((a) => ({ ...a, startsAt: new Date(a.startsAt), endsAt: a.endsAt === null ? null : new Date(a.endsAt) })),
  };
}
