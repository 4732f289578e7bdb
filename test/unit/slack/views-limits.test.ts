import { describe, expect, it } from 'vitest';
import { chunkDigest, type DigestItem } from '../../../src/domain/digest.js';
import type { ActionItem, Incident, RoleHolder, TimelineEntry } from '../../../src/domain/model.js';
import type { Notice, PagingPolicy } from '../../../src/domain/ports.js';
import { actionItemBlocks, actionItemsText, incidentActionsTitle } from '../../../src/slack/views/action-items.js';
import { declareModal } from '../../../src/slack/views/declare-modal.js';
import { digestChunkBlocks, digestHeaderBlocks, digestTitle } from '../../../src/slack/views/digest.js';
import { incidentHeaderBlocks, incidentHeaderText, incidentPurpose, type HeaderFacts } from '../../../src/slack/views/header.js';
import { fitLines, fitText } from '../../../src/slack/views/limits.js';
import { noticeText } from '../../../src/slack/views/notices.js';
import { helpText, listText, rolesText, timelineText } from '../../../src/slack/views/replies.js';
import { markupProblems, messageProblems, viewProblems } from '../../support/slack-limits.js';

/** The largest inputs the bot accepts, made of what escaping makes longest. */
const angles = (length: number) => '<&>'.repeat(Math.ceil(length / 3)).slice(0, length);
const mentions = (length: number) => '<@U123> '.repeat(Math.ceil(length / 8)).slice(0, length).trim();
const TITLE = angles(150);
const TEXT = angles(2500);
const MENTIONS = mentions(2500);

const at = new Date('2026-11-22T07:31:00Z');
const later = new Date('2026-11-22T09:36:00Z');
const holders: RoleHolder[] = [
  { role: 'ic', userId: 'U0ALICE', assignedAt: at },
  { role: 'tech', userId: 'U0BOB', assignedAt: at },
];

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 9999,
    title: TITLE,
    description: TEXT,
    severity: 'sev1',
    status: 'investigating',
    isPrivate: false,
    declaredBy: 'U0ALICE',
    declaredAt: at,
    resolvedAt: null,
    acknowledgedAt: null,
    resolveSummary: null,
    oncallUserIds: Array.from({ length: 50 }, (_, i) => `U0ONCALL${i}`),
    channelId: 'C0INC',
    channelName: 'inc-9999',
    headerTs: '1.1',
    service: null,
    impactStartedAt: null,
    impactEndedAt: null,
    ...overrides,
  };
}

const pagingOff: PagingPolicy = { services: [], pageSeverities: ['sev1'] };
const facts = (overrides: Partial<HeaderFacts> = {}): HeaderFacts => ({
  timelineEmoji: 'pushpin',
  paging: pagingOff,
  postmortem: { canvasId: 'F0CANVAS', fileId: null },
  ...overrides,
});

const header = (i: Incident, f = facts()) => ({ text: incidentHeaderText(i), blocks: incidentHeaderBlocks(i, holders, f) });

describe('fitText', () => {
  it('cuts after escaping, never inside an entity or a mention, and says where the rest is', () => {
    const escaped = '&lt;&amp;&gt;'.repeat(100);
    for (let max = 20; max < 80; max++) {
      const cut = fitText(escaped, max, ' (more)');
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut.endsWith(' (more)')).toBe(true);
      expect(markupProblems(cut, 'cut')).toEqual([]);
    }
    const withMentions = '<@U0ALICE> <@U0BOB> '.repeat(20);
    for (let max = 15; max < 60; max++) expect(markupProblems(fitText(withMentions, max, '…'), 'cut')).toEqual([]);
    expect(fitText('short', 10, '…')).toBe('short');
  });

  it('keeps a link whole or gives its label only, however long the link', () => {
    const link = `<https://prometheus.example/graph?g0.expr=${'x'.repeat(1500)}|Prometheus>`;
    const text = `Alert firing · ${link} · <https://runbooks.example.com/r|Runbook> and more`;
    for (const max of [40, 100, 1000, 1200, 1600]) {
      const cut = fitText(text, max, '…');
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(markupProblems(cut, 'cut')).toEqual([]);
      // Where the long link does not fit, its label stands in its place.
      if (max < link.length) expect(cut.startsWith('Alert firing · Prometheus')).toBe(true);
    }
    // Room for the long link but not the short one after it: the short one gives way, the long one stays.
    const short = text.indexOf('<https://runbooks');
    expect(fitText(text, short + 'Runbook and more'.length, '…')).toBe(`Alert firing · ${link} · Runbook and more`);
    expect(fitText(text, 3000, '…')).toBe(text);
    // A link that is only label once it gives way: the rest then fits as it is.
    expect(fitText(`see ${link}`, 50, '…')).toBe('see Prometheus');
  });

  it('does not split an emoji in two', () => {
    const cut = fitText('a' + '🔥'.repeat(10), 6, '…');
    expect(cut).toBe('a🔥🔥…');
  });

  it('keeps the newest lines that fit, and says how many were left out', () => {
    const text = fitLines({ head: ['head'], lines: ['one', 'two', 'three', 'four'], max: 20, keep: 'last', omitted: (n) => `${n} earlier`, linePointer: '…' });
    expect(text).toBe('head\n3 earlier\nfour');
  });
});

describe('every view fits Slack from the largest inputs the bot accepts', () => {
  it('the header of an open SEV1 with the longest title and impact, paging off', () => {
    expect(messageProblems(header(incident()))).toEqual([]);
    expect(messageProblems(header(incident({ description: MENTIONS })))).toEqual([]);
    expect(incidentPurpose(incident()).length).toBeLessThanOrEqual(250);
  });

  it('the header cuts the impact with a pointer to where it is whole', () => {
    const impact = JSON.stringify(header(incident()).blocks.find((b) => JSON.stringify(b).includes('*Impact*')));
    expect(impact).toContain('`/incident postmortem`');
  });

  it('the header of a resolved incident with the longest resolution', () => {
    const resolved = incident({ status: 'resolved', resolvedAt: later, resolveSummary: TEXT });
    expect(messageProblems(header(resolved))).toEqual([]);
    expect(messageProblems(header({ ...resolved, resolveSummary: MENTIONS }, facts({ postmortem: undefined })))).toEqual([]);
  });

  it('every notice, in the incident channel and the announcement channel', () => {
    const notices: Notice[] = [
      { type: 'declared' },
      { type: 'severity_changed', from: 'sev3', to: 'sev1', by: 'U0BOB' },
      { type: 'status_update', status: 'identified', message: TEXT, by: 'U0BOB' },
      { type: 'status_update', status: 'monitoring', message: MENTIONS, by: 'U0BOB' },
      { type: 'role_assigned', role: 'ic', from: 'U0ALICE', to: 'U0BOB', by: 'U0ALICE' },
      { type: 'resolved', by: 'U0BOB', summary: TEXT },
      { type: 'reopened', by: 'U0BOB' },
      { type: 'page_requested', service: angles(100), by: 'U0BOB' },
      { type: 'page_delivered', service: angles(100) },
      { type: 'page_failed', service: angles(100), error: angles(20_000) },
      { type: 'not_paged', severity: 'sev1', services: [] },
      { type: 'not_paged', severity: 'sev1', services: ['checkout', angles(60)] },
    ];
    const resolved = incident({ status: 'resolved', resolvedAt: later, resolveSummary: TEXT });
    for (const notice of notices) {
      for (const where of ['incident', 'announce'] as const) {
        expect(messageProblems({ text: noticeText(notice, resolved, holders, where) }), `${notice.type} ${where}`).toEqual([]);
      }
    }
  });

  it('help, roles, a long timeline and a long list of open incidents', () => {
    expect(messageProblems({ text: helpText() })).toEqual([]);
    expect(messageProblems({ text: rolesText(incident(), holders) })).toEqual([]);
    const entries: TimelineEntry[] = Array.from({ length: 600 }, (_, i) => ({
      id: i + 1,
      incidentId: 9999,
      kind: i % 2 ? 'note' : 'pinned_message',
      text: i % 3 ? TEXT : MENTIONS,
      actorId: 'U0BOB',
      occurredAt: new Date(at.getTime() + i * 60_000),
      messageTs: `${i}.0`,
      permalink: i % 2 ? null : `https://example.slack.com/archives/C0INC/p${i}`,
    }));
    expect(messageProblems({ text: timelineText(incident(), entries) })).toEqual([]);
    const summaries = Array.from({ length: 300 }, (_, i) => ({ incident: incident({ id: i + 1 }), roles: holders }));
    expect(messageProblems({ text: listText(summaries) })).toEqual([]);
    expect(messageProblems({ text: listText(summaries, 12) })).toEqual([]);
  });

  it('action items: more than fit, the longest texts and drop reasons', () => {
    const items: ActionItem[] = Array.from({ length: 60 }, (_, i) => ({
      id: i + 1,
      incidentId: 9999,
      number: i + 1,
      text: angles(500),
      ownerId: 'U0BOB',
      dueDate: '2026-11-01',
      status: i % 3 === 0 ? 'open' : i % 3 === 1 ? 'done' : 'dropped',
      dropReason: i % 3 === 2 ? TEXT : null,
      createdBy: 'U0ALICE',
      createdAt: at,
      closedBy: null,
      closedAt: null,
    }));
    const title = incidentActionsTitle(incident());
    for (const list of [items, items.slice(0, 1), []]) {
      expect(messageProblems({ text: actionItemsText(title, list, '2026-11-23'), blocks: actionItemBlocks(title, list, '2026-11-23') })).toEqual([]);
    }
  });

  it('the digest: every chunk of a long digest, with its heading', () => {
    const items: DigestItem[] = Array.from({ length: 120 }, (_, i) => ({
      id: i + 1,
      incidentId: 1 + (i % 7),
      number: i + 1,
      text: angles(500),
      ownerId: `U${i % 9}`,
      dueDate: i < 80 ? '2026-11-01' : '2026-11-25',
      incidentTitle: TITLE,
      channelId: 'C0INC',
      isPrivate: i % 5 === 0,
    }));
    const totals = { day: '2026-11-23', overdue: 80, owners: 9, upcoming: 40 };
    for (const chunk of chunkDigest(items, '2026-11-23')) {
      for (const showOwners of [true, false]) {
        const head = chunk.index === 0 ? digestHeaderBlocks(totals, showOwners ? undefined : 'U1', 24) : [];
        const blocks = [...head, ...digestChunkBlocks(chunk, '2026-11-23', { showOwners })];
        expect(messageProblems({ text: digestTitle(totals), blocks }), `chunk ${chunk.index}`).toEqual([]);
      }
    }
  });

  it('the declare form', () => {
    expect(viewProblems(declareModal({ originChannelId: 'C0GENERAL' }) as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('the checker itself finds each kind of problem', () => {
    expect(messageProblems({ text: 'x'.repeat(40_001) })).toHaveLength(1);
    expect(messageProblems({ text: 'x'.repeat(4001), blocks: [{ type: 'divider' }] })).toHaveLength(1);
    expect(messageProblems({ text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) })).toHaveLength(1);
    expect(messageProblems({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] })).toHaveLength(1);
    expect(messageProblems({ text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] })).toHaveLength(1);
    expect(messageProblems({ text: 'x', blocks: [{ type: 'section', fields: [{ type: 'mrkdwn', text: 'x'.repeat(2001) }] }] })).toHaveLength(1);
    expect(markupProblems('cut &am', 't')).toHaveLength(1);
    expect(markupProblems('`/incident role <ic|tech> @user`', 't').length).toBeGreaterThan(0);
    expect(markupProblems('<@U1> <#C1> <!date^1^{date}|x> <https://a.slack.com/x|message> &lt;&amp;&gt;', 't')).toEqual([]);
  });
});

describe('usage placeholders are escaped, not links', () => {
  it('in help and in the header', () => {
    expect(helpText()).toContain('&lt;ic|tech|comms|scribe&gt;');
    expect(markupProblems(helpText(), 'help')).toEqual([]);
    const context = JSON.stringify(incidentHeaderBlocks(incident(), holders, facts()).at(-1));
    expect(context).toContain('&lt;ic|tech|comms|scribe&gt;');
    expect(context).not.toMatch(/<[a-z]+\|/);
  });
});

describe('the header says what happened', () => {
  it('once resolved: when, how long, where the postmortem is, and how to reopen; no Resolve button', () => {
    const resolved = incident({ status: 'resolved', resolvedAt: later, resolveSummary: 'Rolled back v42' });
    const inCanvas = JSON.stringify(incidentHeaderBlocks(resolved, holders, facts()));
    expect(inCanvas).toContain(`*Resolved*\\n<!date^${later.getTime() / 1000}^`);
    expect(inCanvas).toContain('*Lasted*\\n2 h 05 min');
    // Over a weekend: days, not 62 h.
    const weekend = incident({ status: 'resolved', resolvedAt: new Date(resolved.declaredAt.getTime() + (62 * 60 + 10) * 60_000), resolveSummary: 'Rolled back v42' });
    expect(JSON.stringify(incidentHeaderBlocks(weekend, holders, facts()))).toContain('*Lasted*\\n2 d 14 h 10 min');
    expect(inCanvas).toContain("the draft is in this channel's canvas");
    expect(inCanvas).toContain('`/incident reopen`');
    expect(inCanvas).toContain('*Resolution*\\nRolled back v42');
    expect(inCanvas).not.toContain('Next: `/incident status');
    expect(inCanvas).not.toContain('"type":"button"');
    expect(JSON.stringify(incidentHeaderBlocks(resolved, holders, facts({ postmortem: { canvasId: null, fileId: 'F1' } })))).toContain('as a Markdown file');
    expect(JSON.stringify(incidentHeaderBlocks(resolved, holders, facts({ postmortem: undefined })))).toContain('is being published in this channel');
  });

  it('while open: what to do next and the Resolve button', () => {
    const open = JSON.stringify(incidentHeaderBlocks(incident(), holders, facts()));
    expect(open).toContain('Next: `/incident status');
    expect(open).toContain('"type":"button"');
    expect(open).not.toContain('*Lasted*');
  });

  it('a paging severity with PagerDuty not configured says it paged nobody; otherwise not', () => {
    const notPaged = 'Not paged: PagerDuty is not configured';
    expect(JSON.stringify(incidentHeaderBlocks(incident(), holders, facts()))).toContain(notPaged);
    expect(JSON.stringify(incidentHeaderBlocks(incident({ severity: 'sev2' }), holders, facts()))).not.toContain(notPaged);
    const pagingOn = facts({ paging: { services: ['default'], pageSeverities: ['sev1'] } });
    expect(JSON.stringify(incidentHeaderBlocks(incident(), holders, pagingOn))).not.toContain(notPaged);
  });
});
