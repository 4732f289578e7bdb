import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/domain/model.js';
import type { AlertNotice } from '../../../src/domain/ports.js';
import { alertNoticeMessage } from '../../../src/slack/views/alert-notices.js';
import { incidentHeaderBlocks, type HeaderFacts } from '../../../src/slack/views/header.js';
import { slackLink } from '../../../src/slack/views/slack-link.js';
import { messageProblems } from '../../support/slack-limits.js';

/**
 * The links of alert notices and of the header: generatorURL and runbook_url
 * come from Alertmanager, so Slack must never read them as a special mention,
 * and however long Prometheus makes them they are kept whole or not at all.
 */
const at = new Date('2026-12-03T14:54:45Z');
const incident: Incident = {
  id: 12,
  title: 'checkout-api is burning its error budget',
  description: null,
  severity: 'sev2',
  status: 'investigating',
  isPrivate: false,
  declaredBy: 'system:alertmanager',
  declaredAt: at,
  resolvedAt: null,
  acknowledgedAt: null,
  resolveSummary: null,
  oncallUserIds: [],
  channelId: 'C0INC',
  channelName: 'inc-12',
  headerTs: '1.1',
  service: 'checkout-api',
  impactStartedAt: at,
  impactEndedAt: null,
};
const facts = (runbookUrl: string): HeaderFacts => ({ timelineEmoji: 'pushpin', paging: { services: [], pageSeverities: ['sev1'] }, postmortem: undefined, runbookUrl });
const notice = (generatorUrl: string | null, runbookUrl: string | null = null): AlertNotice => ({
  type: 'alert_notify',
  groupId: 3,
  title: 'Checkout is slow',
  alertname: 'SlowCheckout',
  service: 'checkout-api',
  firing: 1,
  generatorUrl,
  runbookUrl,
});

/** What Slack would read as a ping in mrkdwn: a special mention, a user group, a user (a date token is none). */
const PING = /<!(?!date\^)|<@/;
const NOT_WEB = ['!channel', '!here', '!subteam^S0X', '@U0BOB', 'javascript:alert(1)', 'mailto:a@example.com', 'prometheus.example:9090/graph', 'https://', 'https://a b'];

/** A generatorURL as Prometheus builds it from a long expression (4,254 characters). */
const LONG_GENERATOR = `http://prometheus.example:9090/graph?g0.expr=${'sum%28rate%28http_requests_total%7Bcode%3D~%225..%22%7D%5B5m%5D%29%29'.repeat(100)}`.slice(0, 4254);
const LONG_RUNBOOK = `https://runbooks.example.com/slo/checkout-api?${'section=availability&'.repeat(150)}`;

describe('slackLink', () => {
  it('links http and https URLs, escaped so they cannot end the link early', () => {
    expect(slackLink('https://runbooks.example.com/a?b=1&c=<2>|3', 'Runbook')).toBe('<https://runbooks.example.com/a?b=1&amp;c=&lt;2&gt;%7C3|Runbook>');
    expect(slackLink('HTTP://prometheus.example:9090/graph', 'Prometheus')).toBe('<HTTP://prometheus.example:9090/graph|Prometheus>');
  });

  it('gives anything else its label only, never a token Slack reads as a mention', () => {
    for (const url of NOT_WEB) expect(slackLink(url, 'Prometheus'), url).toBe('Prometheus');
  });
});

describe('the links of an alert notice and of the header', () => {
  it('leave out a generatorURL or runbook that is no web URL; the notice and its button stay', () => {
    for (const url of NOT_WEB) {
      const message = alertNoticeMessage(notice(url, url), undefined);
      expect(JSON.stringify(message), url).not.toMatch(PING);
      expect(message.text, url).not.toContain('Prometheus');
      expect(message.text, url).toContain('SlowCheckout');
      expect(messageProblems(message), url).toEqual([]);
      expect(JSON.stringify(message.blocks)).toContain('Declare incident');
      const header = { text: 'x', blocks: incidentHeaderBlocks(incident, [], facts(url)) };
      expect(JSON.stringify(header.blocks), url).not.toMatch(PING);
      expect(JSON.stringify(header.blocks), url).not.toContain('*Runbook*');
      expect(messageProblems(header), url).toEqual([]);
    }
  });

  it('keep a long link whole or give its label only, and the notice text fits beside its blocks', () => {
    const message = alertNoticeMessage(notice(LONG_GENERATOR, 'https://runbooks.example.com/short'), undefined);
    expect(messageProblems(message)).toEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(4000);
    for (const text of [message.text, (message.blocks[0] as { text: { text: string } }).text.text]) {
      // Too long for the message: the Prometheus link gives way to its label; the short runbook link stays.
      expect(text).toContain(' · Prometheus · <https://runbooks.example.com/short|Runbook>');
      expect(text).not.toContain('<http://prometheus');
    }
    const header = { text: 'x', blocks: incidentHeaderBlocks(incident, [], facts(LONG_RUNBOOK)) };
    expect(LONG_RUNBOOK.length).toBeGreaterThan(3000);
    expect(messageProblems(header)).toEqual([]);
    expect(JSON.stringify(header.blocks)).toContain(':book: *Runbook*: open the runbook');
  });

  it('keep a link whole when it fits, however long', () => {
    const url = `https://runbooks.example.com/${'a'.repeat(2500)}`;
    const header = { text: 'x', blocks: incidentHeaderBlocks(incident, [], facts(url)) };
    expect(messageProblems(header)).toEqual([]);
    expect(JSON.stringify(header.blocks)).toContain(`<${url}|open the runbook>`);
  });
});
