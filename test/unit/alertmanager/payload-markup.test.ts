import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWebhookPayload } from '../../../src/alertmanager/payload.js';
import { loadAlertRules } from '../../../src/alertmanager/rules.js';
import { alertActionFor } from '../../../src/domain/alert-rules.js';
import { alertLine, alertTitle } from '../../../src/domain/alerts.js';
import { prose } from '../../../src/postmortem/markdown.js';
import { safe } from '../../../src/slack/text.js';
import { alertNoticeMessage } from '../../../src/slack/views/alert-notices.js';

/**
 * Alert text is the rule writer's and Prometheus's, never a mention someone
 * picked in Slack: whatever markup it holds, nothing the bot renders from it
 * may ping (the one escaping rule restores `<@U…>`, for typed text).
 */
const MARKUP = 'owner <@U0BOB> <!here> <!subteam^S0X> <https://evil.example|click>';

function body(): string {
  return JSON.stringify({
    version: '4',
    groupKey: '{}:{alertname="DiskFull"}',
    status: 'firing',
    receiver: 'bot',
    groupLabels: { alertname: 'DiskFull' },
    commonLabels: { alertname: 'DiskFull', team: MARKUP },
    commonAnnotations: { summary: `disk full, ${MARKUP}` },
    externalURL: 'http://am',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: `DiskFull ${MARKUP}`, team: MARKUP, [`<@U0BOB>`]: 'x' },
        annotations: { summary: `disk full, ${MARKUP}`, description: `the disk is full; ${MARKUP}` },
        startsAt: '2026-12-04T10:00:00Z',
        generatorURL: 'http://prometheus.example/graph?g0.expr=<@U0BOB>',
        fingerprint: 'f1',
      },
    ],
  });
}

/** A ping or a link in mrkdwn, or a canvas mention in the postmortem's Markdown. */
const MARKUP_OUT = /<[@!#]|<https?:|!\[\]\(@/;

describe('Alertmanager payload: markup in alert text', () => {
  it('keeps no < or > in any label or annotation, name or value, nor in generatorURL', () => {
    const parsed = parseWebhookPayload(body());
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const alert = parsed.notification.alerts[0]!;
    const texts = [alert.labels, alert.annotations, parsed.notification.commonLabels].flatMap((o) => Object.entries(o).flat());
    for (const text of texts) expect(text).not.toMatch(/[<>]/);
    // Still readable: look-alike brackets where the text had brackets.
    expect(alert.annotations.summary).toBe('disk full, owner ‹@U0BOB› ‹!here› ‹!subteam^S0X› ‹https://evil.example|click›');
    // The URL is the same URL, its brackets percent-encoded.
    expect(alert.generatorUrl).toBe('http://prometheus.example/graph?g0.expr=%3C@U0BOB%3E');
  });

  it('renders nothing that pings: notice, title, timeline line and postmortem', () => {
    const parsed = parseWebhookPayload(body());
    if (!parsed.ok) throw new Error(parsed.reason);
    const alert = parsed.notification.alerts[0]!;
    const alertname = alert.labels.alertname!;
    const title = alertTitle(alert, alertname, null);
    const notice = alertNoticeMessage({ type: 'alert_notify', groupId: 1, title, alertname, service: alert.labels.team!, firing: 1, generatorUrl: null, runbookUrl: null }, undefined);
    const rendered = [
      JSON.stringify(notice),
      safe(title),
      safe(alert.annotations.description!),
      safe(alertLine(alert, false)),
      prose(title),
      prose(alertLine(alert, false)),
    ];
    for (const text of rendered) expect(text).not.toMatch(MARKUP_OUT);
  });

  it('still matches a rule whose value is written with < and >', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'alert-rules-')), 'rules.yaml');
    writeFileSync(path, `rules:\n  - match: { team: "${MARKUP}" }\n    declare: sev1\n`);
    const parsed = parseWebhookPayload(body());
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(alertActionFor(loadAlertRules(path, null), parsed.notification.alerts[0]!.labels)).toEqual({ declare: 'sev1' });
  });
});
