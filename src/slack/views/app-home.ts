import type { types } from '@slack/bolt';
import { actionRef, incidentRef, type ActionItem } from '../../domain/model.js';
import type { IncidentSummary } from '../../domain/queries.js';
import type { MissingFigure } from '../../domain/slo-figures.js';
import type { BudgetStatus } from '../../slo/budget.js';
import type { SloDefinition } from '../../slo/model.js';
import { BUTTON_IDS } from '../ids.js';
import { safe, slackDate } from '../text.js';
import { SEVERITY_EMOJI, severityLabel, statusLabel, utcStamp } from './labels.js';
import { fitText, SLACK_LIMITS } from './limits.js';
import { sloTitle, statusText } from './slo-lines.js';
import type { StatusSource } from './slo-report.js';

type KnownBlock = types.KnownBlock;

/**
 * How many of each the Home tab lists. A Home view holds at most 100 blocks
 * (docs.slack.dev/reference/views/home-tab-views): an incident or an SLO is
 * one block, a follow-up two (its text, then Done and Snooze), and the rest
 * are at most 10: three headers, two dividers, four "…and N more" or "not
 * shown" notes and the footer. 20 + 2 × 15 + 20 + 10 = 80.
 */
export const HOME_LIMITS = {
  blocks: 100,
  incidents: 20,
  items: 15,
  slos: 20,
} as const;

/** One SLO's budget now, as `/incident slo` has it. */
export interface HomeBudget {
  readonly slo: SloDefinition;
  readonly status: BudgetStatus | MissingFigure;
  readonly source: StatusSource;
}

export interface HomeViewInput {
  /** The open incidents this person may see, most severe first. */
  readonly incidents: readonly IncidentSummary[];
  /** Private open incidents left out: counted, never named. */
  readonly hiddenPrivate: number;
  /** Their own open follow-ups, soonest due first. */
  readonly items: readonly ActionItem[];
  readonly today: string;
  /** How many SLOs the catalog has (0: none configured). */
  readonly sloCount: number;
  /** The budgets of the first HOME_LIMITS.slos of them. */
  readonly budgets: readonly HomeBudget[];
  readonly now: Date;
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: fitText(text, SLACK_LIMITS.sectionText, '…') } });
const note = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: fitText(text, SLACK_LIMITS.contextText, '…') }] });
const header = (text: string): KnownBlock => ({ type: 'header', text: { type: 'plain_text', text } });

/** A long text is cut before its facts line (due date, status, channel), which always stays whole. */
const CUT = '… _(cut)_';
function withFacts(text: string, facts: string): string {
  return `${fitText(text, SLACK_LIMITS.sectionText - facts.length - 1, CUT)}\n${facts}`;
}

function incidentBlocks(input: HomeViewInput): KnownBlock[] {
  const { incidents, hiddenPrivate } = input;
  const blocks = [header(`Open incidents (${incidents.length + hiddenPrivate})`)];
  if (incidents.length === 0 && hiddenPrivate === 0) blocks.push(section('No open incidents. :tada:'));
  for (const { incident, roles } of incidents.slice(0, HOME_LIMITS.incidents)) {
    const ic = roles.find((r) => r.role === 'ic');
    const channel = incident.channelId ? `<#${incident.channelId}>` : '_channel being created_';
    const facts = `${severityLabel(incident.severity)} · ${statusLabel(incident.status)} · IC ${ic ? `<@${ic.userId}>` : '_unassigned_'} · ${channel}`;
    blocks.push(section(withFacts(`${SEVERITY_EMOJI[incident.severity]} *${incidentRef(incident.id)}* ${safe(incident.title)}`, facts)));
  }
  const more = incidents.length - HOME_LIMITS.incidents;
  if (more > 0) blocks.push(note(`…and ${more} more: \`/incident list\` lists them all.`));
  if (hiddenPrivate > 0) {
    blocks.push(note(`${hiddenPrivate} private incident${hiddenPrivate === 1 ? '' : 's'} not shown: only members of ${hiddenPrivate === 1 ? 'its channel see it' : 'their channels see them'}.`));
  }
  return blocks;
}

function itemBlocks(input: HomeViewInput): KnownBlock[] {
  const { items, today } = input;
  const blocks = [header(`Your open follow-ups (${items.length})`)];
  if (items.length === 0) blocks.push(section('_Nothing open for you._'));
  for (const item of items.slice(0, HOME_LIMITS.items)) {
    const late = item.dueDate < today ? ' · :warning: *overdue*' : '';
    const value = JSON.stringify({ incidentId: item.incidentId, number: item.number });
    blocks.push(section(withFacts(`*${actionRef(item)}* ${safe(item.text)}`, `Due ${item.dueDate}${late}`)), {
      type: 'actions',
      elements: [
        { type: 'button', action_id: BUTTON_IDS.homeActionDone, text: { type: 'plain_text', text: 'Done' }, style: 'primary', value },
        { type: 'button', action_id: BUTTON_IDS.homeActionSnooze, text: { type: 'plain_text', text: 'Snooze 1 week' }, value },
      ],
    });
  }
  const more = items.length - HOME_LIMITS.items;
  if (more > 0) blocks.push(note(`…and ${more} more: \`/incident actions\` outside an incident channel lists all of yours.`));
  return blocks;
}

function sourceWords(budget: HomeBudget): string {
  if (budget.status.kind === 'missing') return '';
  const { source } = budget;
  if (source.kind === 'stored') return ` _(as last computed, ${utcStamp(source.computedAt)}: Prometheus did not answer now)_`;
  return source.kind === 'live' ? ' _(measured now)_' : '';
}

function budgetBlocks(input: HomeViewInput): KnownBlock[] {
  const blocks = [header('Error budgets')];
  if (input.sloCount === 0) return [...blocks, note('No SLOs are configured (`SLO_FILES`), so there is no error budget to show.')];
  for (const budget of input.budgets.slice(0, HOME_LIMITS.slos)) {
    const { slo } = budget;
    blocks.push(section(`${sloTitle({ name: `${slo.service} ${slo.name}`, target: slo.target, windowText: slo.window.text })}: ${statusText(budget.status)}${sourceWords(budget)}`));
  }
  const more = input.sloCount - Math.min(input.budgets.length, HOME_LIMITS.slos);
  if (more > 0) blocks.push(note(`…and ${more} more SLOs: \`/incident slo\` followed by a service shows its own.`));
  return blocks;
}

/**
 * A person's App Home tab: the open incidents they may see, their own open
 * follow-ups with Done and Snooze, and each SLO's budget left. Within a Home
 * view's 100 blocks whatever the counts (HOME_LIMITS).
 */
export function homeView(input: HomeViewInput): { type: 'home'; blocks: KnownBlock[] } {
  const blocks = [
    ...incidentBlocks(input),
    { type: 'divider' } as const,
    ...itemBlocks(input),
    { type: 'divider' } as const,
    ...budgetBlocks(input),
    note(`Updated ${slackDate(input.now, utcStamp(input.now))}; opening this tab again refreshes it.`),
  ];
  return { type: 'home', blocks };
}
