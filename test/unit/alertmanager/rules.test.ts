import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlertRulesError, loadAlertRules, parseAlertDuration } from '../../../src/alertmanager/rules.js';
import { alertActionFor } from '../../../src/domain/alert-rules.js';
import { ConfigError, loadConfig } from '../../../src/config.js';

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'alert-rules-')), 'rules.yaml');
  writeFileSync(path, text);
  return path;
}

function problems(text: string): readonly string[] {
  const path = file(text);
  try {
    loadAlertRules(path, 'C0ANNOUNCE');
  } catch (error) {
    if (error instanceof AlertRulesError) return error.problems.map((p) => p.replace(path, 'FILE'));
    throw error;
  }
  throw new Error('no problem found');
}

const EXAMPLE = `rules:
  - match: { severity: critical }
    declare: sev1
  - match: { sloth_severity: page }
    declare: sev2
  - match: { severity: warning }
    notify: C0123TRIAGE
resolve_with_alerts: true
reopen_within: 1h30m
`;

describe('alert rules', () => {
  it('reads the example: first match wins, exact label equality', () => {
    const rules = loadAlertRules(file(EXAMPLE), 'C0ANNOUNCE');
    expect(rules.resolveWithAlerts).toBe(true);
    expect(rules.reopenWithinMs).toBe(90 * 60_000);
    expect(alertActionFor(rules, { severity: 'critical', sloth_severity: 'page' })).toEqual({ declare: 'sev1' });
    expect(alertActionFor(rules, { severity: 'Critical', sloth_severity: 'page' })).toEqual({ declare: 'sev2' });
    expect(alertActionFor(rules, { severity: 'warning' })).toEqual({ notify: 'C0123TRIAGE' });
    // Nothing matched: a notice in the announce channel, never dropped.
    expect(alertActionFor(rules, { severity: 'info' })).toEqual({ notify: null });
  });

  it('without a file: critical declares a SEV2, anything else notifies the announce channel', () => {
    const rules = loadAlertRules(undefined, 'C0ANNOUNCE');
    expect(rules.resolveWithAlerts).toBe(false);
    expect(rules.reopenWithinMs).toBe(60 * 60_000);
    expect(rules.announceChannel).toBe('C0ANNOUNCE');
    expect(alertActionFor(rules, { severity: 'critical' })).toEqual({ declare: 'sev2' });
    expect(alertActionFor(rules, { severity: 'warning' })).toEqual({ notify: null });
  });

  it('lists every problem with the file and the path in it', () => {
    expect(
      problems(`rules:
  - match: { severity: critical }
    declare: sev4
  - match: { severity: warning }
    notify: "#triage"
  - match: { a: b }
  - match: { a: b }
    declare: sev1
    notify: C0123
    when: now
reopen_within: soon
resolve_with_alerts: "yes"
`),
    ).toEqual([
      'FILE: rules[0].declare: must be one of sev1, sev2, sev3',
      'FILE: rules[1].notify: must be a Slack channel id like C0123TRIAGE (not a #name)',
      'FILE: rules[2]: needs exactly one of declare: sev1|sev2|sev3 or notify: <channel id>',
      'FILE: rules[3].when: is not a key of a rule (known: match, declare, notify)',
      'FILE: rules[3]: needs exactly one of declare: sev1|sev2|sev3 or notify: <channel id>',
      'FILE: resolve_with_alerts: must be true or false',
      'FILE: reopen_within: "soon" is not a duration (write a number and s, m, h or d, like 1h or 90m)',
    ]);
    expect(problems('rules: [\n')[0]).toMatch(/^FILE: line \d+, column \d+: .*not valid YAML/);
    expect(problems('')).toEqual(['FILE: is empty; write a rules: list (see the README, "Alerts from Alertmanager")']);
  });

  it('reads examples/alert-rules.yaml, the README example', () => {
    const rules = loadAlertRules('examples/alert-rules.yaml', 'C0ANNOUNCE');
    expect(rules.rules).toHaveLength(3);
    expect(alertActionFor(rules, { sloth_severity: 'page' })).toEqual({ declare: 'sev2' });
    expect(rules.reopenWithinMs).toBe(3_600_000);
  });

  it('parses durations the way Prometheus writes them', () => {
    expect(parseAlertDuration('90s')).toBe(90_000);
    expect(parseAlertDuration('1d2h')).toBe(26 * 3_600_000);
    expect(parseAlertDuration('1 hour')).toBeUndefined();
  });

  it('is read by loadConfig: a bad file stops the start with the variable named', () => {
    const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
    expect(loadConfig({ ...env, ALERT_RULES_FILE: file(EXAMPLE) }).alertmanager.rules.rules).toHaveLength(3);
    try {
      loadConfig({ ...env, ALERT_RULES_FILE: '/nonexistent/rules.yaml' });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.some((p) => p.startsWith('ALERT_RULES_FILE: /nonexistent/rules.yaml: cannot be read'))).toBe(true);
    }
  });
});
