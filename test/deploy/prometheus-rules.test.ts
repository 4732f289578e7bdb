/**
 * deploy/prometheus/incident-bot.rules.yaml, the alerts on the bot itself, as
 * Prometheus would load them: the real promtool (Debian's prometheus) checks the
 * file and runs its unit tests, and a moved threshold or a dropped clause makes
 * those tests fail, so they can. The file's own shape (severity, `for:`,
 * annotations, a runbook that exists in the README) is held here too.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPrometheusBinaries, requirePrometheus } from '../support/prometheus-server.js';
import { readAlertCases, readRules, ROOT, RULES, RULES_TEST } from './rules-file.js';
import { runTool } from '../support/real-binary.js';

const scratch = mkdtempSync(join(tmpdir(), 'incident-bot-deploy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The rules file with `from` replaced by `to`, beside an unchanged copy of its tests; returns the tests' path. */
function mutated(from: string, to: string): string {
  const rules = readFileSync(RULES, 'utf8');
  expect(rules).toContain(from);
  const dir = mkdtempSync(join(scratch, 'mutated-'));
  writeFileSync(join(dir, basename(RULES)), rules.replace(from, to));
  writeFileSync(join(dir, basename(RULES_TEST)), readFileSync(RULES_TEST, 'utf8'));
  return join(dir, basename(RULES_TEST));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');

describe.skipIf(!requirePrometheus())('deploy/prometheus/incident-bot.rules.yaml', () => {
  const promtool = () => findPrometheusBinaries()!.promtool;

  it('passes promtool check rules, which counts every rule in the file', async () => {
    const run = await runTool(ROOT, promtool(), ['check', 'rules', RULES]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`SUCCESS: ${readRules().length} rules found`);
  });

  it('is refused by promtool check rules once an expression is broken', async () => {
    const broken = join(mkdtempSync(join(scratch, 'broken-')), 'rules.yaml');
    const text = readFileSync(RULES, 'utf8');
    expect(text).toContain('expr: up{job="incident-bot"} == 0');
    writeFileSync(broken, text.replace('expr: up{job="incident-bot"} == 0', 'expr: up{job="incident-bot" == 0'));
    const run = await runTool(ROOT, promtool(), ['check', 'rules', broken]);
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/FAILED|parse error/);
  });

  it('fires and stays quiet as its unit tests expect (promtool test rules)', async () => {
    const run = await runTool(ROOT, promtool(), ['test', 'rules', RULES_TEST]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('SUCCESS');
  });

  it.each([
    ['the stall threshold moves', '(incident_bot_outbox_oldest_pending_age_seconds) > 300', '(incident_bot_outbox_oldest_pending_age_seconds) > 400', 'IncidentBotOutboxStalled, time: 11m'],
    ['429s count as Web API errors', 'rate(incident_bot_slack_api_calls_total{outcome="error"}[5m]', 'rate(incident_bot_slack_api_calls_total{outcome=~"error|rate_limited"}[5m]', 'IncidentBotSlackApiErrors, time: 11m'],
    ['a first rejection is left to increase()', '          or\n          sum by (job) (\n            incident_bot_pagerduty_events_total{outcome="rejected"}', '          or\n          sum by (job) (\n            incident_bot_pagerduty_events_total{outcome="never"}', 'IncidentBotPagesRejected, time: 10m'],
    ['the ack threshold moves past 3 s', 'p99_rate5m > 2.5', 'p99_rate5m > 5', 'IncidentBotSlowAcks, time: 6m'],
    ['any 429 at all is a storm', 'rate_limited_ratio_rate5m > 0.1', 'rate_limited_ratio_rate5m > 0', 'IncidentBotSlackRateLimited, time: 30m'],
  ])('fails promtool test rules when %s, so those cases can fail', async (_what, from, to, failure) => {
    const run = await runTool(ROOT, promtool(), ['test', 'rules', mutated(from, to)]);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(`alertname: ${failure}`);
  });
});

describe('the alerts on the bot itself', () => {
  const alerts = readRules().filter((r) => r.alert);

  it('each has a pending time, a severity, the component label and the three annotations', () => {
    expect(alerts.length).toBeGreaterThanOrEqual(10);
    for (const alert of alerts) {
      expect(alert.for, alert.alert).toMatch(/^\d+[smh]$/);
      expect(alert.labels, alert.alert).toEqual({ severity: expect.stringMatching(/^(critical|warning)$/), component: 'incident-bot' });
      expect(Object.keys(alert.annotations ?? {}).sort(), alert.alert).toEqual(['description', 'runbook_url', 'summary']);
    }
  });

  it('each links its runbook to a heading of the README that names the alert', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const anchors = new Map(readme.split('\n').filter((l) => /^#{1,6} /.test(l)).map((l) => [anchorOf(l.replace(/^#+ /, '')), l]));
    for (const alert of alerts) {
      const url = new URL(alert.annotations!.runbook_url!);
      expect(url.pathname.endsWith('/README.md'), alert.alert).toBe(true);
      const anchor = url.hash.slice(1);
      expect(anchors.has(anchor), `${alert.alert}: #${anchor}`).toBe(true);
      const section = readme.slice(readme.indexOf(anchors.get(anchor)!)).split(/\n## /)[0]!;
      expect(section, alert.alert).toContain(alert.alert!);
    }
  });

  it('each is seen both firing and quiet in the unit tests', () => {
    const cases = readAlertCases();
    for (const alert of alerts) {
      const mine = cases.filter((c) => c.alertname === alert.alert);
      expect(mine.some((c) => c.exp_alerts.length > 0), `${alert.alert} firing`).toBe(true);
      expect(mine.some((c) => c.exp_alerts.length === 0), `${alert.alert} quiet`).toBe(true);
    }
    const known = new Set(alerts.map((a) => a.alert));
    for (const c of cases) expect(known.has(c.alertname), c.alertname).toBe(true);
  });
});
