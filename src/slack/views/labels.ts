import { formatInTimeZone } from '../../domain/time.js';
import type { Severity, Status } from '../../domain/model.js';
import { SEVERITY_MEANING } from '../../domain/model.js';

export const SEVERITY_EMOJI: Record<Severity, string> = {
  sev1: ':red_circle:',
  sev2: ':large_orange_circle:',
  sev3: ':large_yellow_circle:',
};

export const STATUS_EMOJI: Record<Status, string> = {
  investigating: ':mag:',
  identified: ':bulb:',
  monitoring: ':eyes:',
  resolved: ':white_check_mark:',
};

export function severityLabel(severity: Severity): string {
  return severity.toUpperCase();
}

export function severityLong(severity: Severity): string {
  return `${SEVERITY_EMOJI[severity]} ${severityLabel(severity)}: ${SEVERITY_MEANING[severity]}`;
}

export function statusLabel(status: Status): string {
  return status.charAt(0).toUpperCase() + status.slice(1);
}

/** `2026-11-22 07:31 UTC`: the fallback shown where Slack's date token is not rendered. */
export function utcStamp(date: Date): string {
  return formatInTimeZone(date, 'yyyy-MM-dd HH:mm') + ' UTC';
}
