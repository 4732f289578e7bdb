/**
 * The Home view is a pure function of what it is given: whatever the counts
 * and texts, it stays within a Home view's 100 blocks and Slack's text limits,
 * and says what it left out. A Home button is trusted only as one of the
 * Home view's own.
 */
import type { BlockAction, ButtonAction } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import type { ActionItem, Incident } from '../../../src/domain/model.js';
import { measuredBudgetStatus } from '../../../src/slo/budget.js';
import type { SloDefinition } from '../../../src/slo/model.js';
import { requireButtonOfHomeView, requireButtonOfMessage } from '../../../src/slack/actions/button-origin.js';
import { BUTTON_IDS } from '../../../src/slack/ids.js';
import { HOME_LIMITS, homeView, type HomeBudget, type HomeViewInput } from '../../../src/slack/views/app-home.js';
import { viewProblems } from '../../support/slack-limits.js';

const at = new Date('2026-11-30T12:00:00Z');
/** What escaping makes longest: every character five times its length. */
const angles = (length: number) => '<&>'.repeat(Math.ceil(length / 3)).slice(0, length);

const incident = (id: number): Incident => ({
  id,
  title: angles(150),
  description: null,
  severity: 'sev1',
  status: 'investigating',
  isPrivate: false,
  declaredBy: 'U0ALICE',
  declaredAt: at,
  resolvedAt: null,
  acknowledgedAt: null,
  resolveSummary: null,
  oncallUserIds: [],
  channelId: `C0INC${id}`,
  channelName: `inc-${id}`,
  headerTs: '1.1',
  service: null,
  impactStartedAt: null,
  impactEndedAt: null,
});

const item = (number: number): ActionItem => ({
  id: number,
  incidentId: 7,
  number,
  text: angles(2500),
  ownerId: 'U0BOB',
  dueDate: number % 2 ? '2026-11-01' : '2026-12-31',
  status: 'open',
  dropReason: null,
  createdBy: 'U0ALICE',
  createdAt: at,
  closedBy: null,
  closedAt: null,
});

const slo = (n: number): SloDefinition => ({
  id: `svc/slo_${n}`,
  service: angles(60),
  name: `slo_${n}`,
  description: undefined,
  target: 0.999,
  window: { text: '30d', ms: 30 * 86_400_000 },
  owner: undefined,
  sli: { kind: 'events', errorQuery: 'e', totalQuery: 't' },
  source: { file: 's.yaml', format: 'plain' },
});

const budget = (n: number): HomeBudget => ({ slo: slo(n), status: measuredBudgetStatus(slo(n), { windowErrorRatio: 0.0005, recentErrorRatio: 0.002 }), source: { kind: 'live' } });

const input = (counts: { incidents: number; items: number; slos: number; hidden?: number }): HomeViewInput => ({
  incidents: Array.from({ length: counts.incidents }, (_, i) => ({ incident: incident(i + 1), roles: [{ role: 'ic', userId: 'U0ALICE', assignedAt: at }] })),
  hiddenPrivate: counts.hidden ?? 0,
  items: Array.from({ length: counts.items }, (_, i) => item(i + 1)),
  today: '2026-11-30',
  sloCount: counts.slos,
  budgets: Array.from({ length: Math.min(counts.slos, HOME_LIMITS.slos) }, (_, i) => budget(i + 1)),
  now: at,
});

/** A Home view has no title (docs.slack.dev/reference/views/home-tab-views); the rest is checked as a modal's. */
const problems = (view: ReturnType<typeof homeView>) => viewProblems(view as never).filter((p) => !p.startsWith('title'));
const texts = (view: ReturnType<typeof homeView>) => JSON.stringify(view.blocks);

describe('homeView', () => {
  it("fits a Home view's 100 blocks and Slack's text limits with far too much of everything, saying what it left out", () => {
    const view = homeView(input({ incidents: 300, items: 200, slos: 80, hidden: 4 }));
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_LIMITS.blocks);
    expect(problems(view)).toEqual([]);
    expect(texts(view)).toContain('…and 280 more: `/incident list` lists them all.');
    expect(texts(view)).toContain('…and 185 more: `/incident actions` outside an incident channel lists all of yours.');
    expect(texts(view)).toContain('…and 60 more SLOs');
    // Cut texts keep their facts line whole.
    expect(texts(view)).toContain('… _(cut)_\\nDue 2026-11-01 · :warning: *overdue*');
    expect(texts(view)).toContain('SEV1 · Investigating · IC <@U0ALICE> · <#C0INC1>');
    expect(texts(view)).toContain('4 private incidents not shown: only members of their channels see them.');
    expect(texts(view)).toContain('Open incidents (304)');
  });

  it('gives each follow-up Done and Snooze naming it, and marks the overdue ones', () => {
    const view = homeView(input({ incidents: 0, items: 2, slos: 0 }));
    const buttons = view.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(buttons.map((b) => [(b as { action_id: string }).action_id, (b as { value: string }).value])).toEqual([
      [BUTTON_IDS.homeActionDone, '{"incidentId":7,"number":1}'],
      [BUTTON_IDS.homeActionSnooze, '{"incidentId":7,"number":1}'],
      [BUTTON_IDS.homeActionDone, '{"incidentId":7,"number":2}'],
      [BUTTON_IDS.homeActionSnooze, '{"incidentId":7,"number":2}'],
    ]);
    expect(texts(view)).toContain('Due 2026-11-01 · :warning: *overdue*');
    expect(texts(view)).not.toContain('Due 2026-12-31 · :warning:');
  });

  it('says when there is nothing, and when no SLOs are configured', () => {
    const view = homeView(input({ incidents: 0, items: 0, slos: 0 }));
    expect(problems(view)).toEqual([]);
    expect(texts(view)).toContain('No open incidents. :tada:');
    expect(texts(view)).toContain('_Nothing open for you._');
    expect(texts(view)).toContain('No SLOs are configured');
  });
});

describe('requireButtonOfHomeView', () => {
  const value = '{"incidentId":7,"number":1}';
  const action = { type: 'button', action_id: BUTTON_IDS.homeActionDone, block_id: 'b', value, action_ts: '1.1', text: { type: 'plain_text', text: 'Done' } } as unknown as ButtonAction;
  const view = { id: 'VHOME1', type: 'home', blocks: homeView(input({ incidents: 0, items: 1, slos: 0 })).blocks };
  const press = (overrides: Record<string, unknown>) => ({ type: 'block_actions', user: { id: 'U0BOB' }, container: { type: 'view', view_id: 'VHOME1' }, view, ...overrides }) as unknown as BlockAction<ButtonAction>;

  it("trusts a button of the Home view it came with, and nothing else", () => {
    expect(() => requireButtonOfHomeView(press({}), action)).not.toThrow();
    const refused = [
      press({ container: { type: 'message', channel_id: 'C1', message_ts: '1.1' } }),
      press({ container: { type: 'view', view_id: 'VOTHER' } }),
      press({ view: { ...view, type: 'modal' } }),
      press({ view: undefined }),
      press({ view: { ...view, blocks: [] } }),
    ];
    for (const body of refused) expect(() => requireButtonOfHomeView(body, action)).toThrow(/does not match your Home tab/);
    expect(() => requireButtonOfHomeView(press({}), { ...action, value: '{"incidentId":7,"number":2}' })).toThrow(/does not match your Home tab/);
  });

  it("refuses a message's button sent from a view", () => {
    const listing = { ...action, action_id: BUTTON_IDS.actionDone };
    expect(() => requireButtonOfMessage(press({ view: { ...view, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x' }, accessory: listing }] } }), listing)).toThrow(
      /does not match the message/,
    );
  });
});
