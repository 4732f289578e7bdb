import type { Severity } from './model.js';

/** What an alert does: open an incident of a severity, or post a notice (with a Declare button) in a channel. */
export type AlertAction = { readonly declare: Severity } | { readonly notify: string | null };

/** One rule: every label of `match` must be on the alert with exactly that value. */
export interface AlertRule {
  readonly match: Readonly<Record<string, string>>;
  readonly action: AlertAction;
}

/**
 * ALERT_RULES_FILE, or the defaults. `notify: null` means the announce
 * channel; `announceChannel` is filled from INCIDENT_ANNOUNCE_CHANNEL.
 */
export interface AlertRules {
  readonly rules: readonly AlertRule[];
  /** When true, an incident whose alerts have all resolved is resolved by the bot; else a person is asked. */
  readonly resolveWithAlerts: boolean;
  /** A group firing again within this long of its incident's resolve goes back to that incident. */
  readonly reopenWithinMs: number;
  /** Labels naming the affected service, tried in order; the first whose value the SLO catalog knows links it. */
  readonly serviceLabels: readonly string[];
  readonly announceChannel: string | null;
}

export const DEFAULT_REOPEN_WITHIN_MS = 60 * 60_000;
export const DEFAULT_SERVICE_LABELS = ['sloth_service', 'slo', 'service'] as const;

/** Without a file: a critical alert declares a SEV2, anything else is a notice in the announce channel. */
export const DEFAULT_ALERT_RULES: readonly AlertRule[] = [
  { match: { severity: 'critical' }, action: { declare: 'sev2' } },
  { match: {}, action: { notify: null } },
];

export function defaultAlertRules(announceChannel: string | null): AlertRules {
  return { rules: DEFAULT_ALERT_RULES, resolveWithAlerts: false, reopenWithinMs: DEFAULT_REOPEN_WITHIN_MS, serviceLabels: DEFAULT_SERVICE_LABELS, announceChannel };
}

/**
 * The first rule whose matchers all equal the alert's labels. No rule
 * matching means a notice in the announce channel: an alert is never dropped
 * in silence.
 */
export function alertActionFor(rules: AlertRules, labels: Readonly<Record<string, string>>): AlertAction {
  const rule = rules.rules.find((r) => Object.entries(r.match).every(([name, value]) => labels[name] === value));
  return rule?.action ?? { notify: null };
}
