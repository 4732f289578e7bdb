import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;
import { incidentRef, ROLE_TITLES, ROLES, type Incident, type RoleHolder } from '../../domain/model.js';
import type { PagingPolicy } from '../../domain/ports.js';
import { duration, minutesBetween } from '../../domain/time.js';
import { USAGE } from '../../domain/usage.js';
import { BUTTON_IDS } from '../ids.js';
import { safe, safePlain, slackDate } from '../text.js';
import { severityLabel, severityLong, STATUS_EMOJI, statusLabel, utcStamp } from './labels.js';
import type { SloFigures } from '../../domain/slo-figures.js';
import { fitLines, fitText, SLACK_LIMITS } from './limits.js';
import { headerSloLine } from './slo-lines.js';
import { escapeStrayMarkup } from './stray-markup.js';
import { isWebUrl, slackLink } from './slack-link.js';

/** What the header shows beside the incident itself. */
export interface HeaderFacts {
  readonly timelineEmoji: string;
  /** Which severities page, and which PagerDuty services exist (none: paging is off). */
  readonly paging: PagingPolicy;
  /** The stored postmortem draft's place in Slack, once it has one. */
  readonly postmortem: { readonly canvasId: string | null; readonly fileId: string | null } | undefined;
  /** The linked service's SLO figures; undefined when no service is linked. */
  readonly slo?: HeaderSlo;
  /** The runbook of the alert that declared the incident (annotations.runbook_url). */
  readonly runbookUrl?: string | null;
}

/** What the header says of the linked service's SLOs. */
export interface HeaderSlo {
  readonly service: string;
  /** The stored figures of the service's SLOs, in catalog order. */
  readonly figures: readonly SloFigures[];
  /** SLOs of the service with no figures yet (just linked: the first computation is on its way). */
  readonly pending: readonly string[];
}

/** Where a cut header text can be read whole: the postmortem draft quotes impact and resolution in full. */
const CUT_POINTER = '… _(cut: `/incident postmortem` publishes the draft with all of it)_';

function holderOf(holders: readonly RoleHolder[], role: RoleHolder['role']): string {
  const holder = holders.find((h) => h.role === role);
  return holder ? `<@${holder.userId}>` : '_unassigned_';
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: fitText(text, SLACK_LIMITS.sectionText, CUT_POINTER) } };
}

function field(text: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: fitText(text, SLACK_LIMITS.sectionFieldText, '…') };
}

/** Severity, status, start, declarer; and once resolved, when and how long it lasted. */
function factFields(incident: Incident): KnownBlock {
  const fields = [
    field(`*Severity*\n${severityLong(incident.severity)}`),
    field(`*Status*\n${STATUS_EMOJI[incident.status]} ${statusLabel(incident.status)}`),
    field(`*Started*\n${slackDate(incident.declaredAt, utcStamp(incident.declaredAt))}`),
    field(`*Declared by*\n${incident.declaredBy.startsWith('system:') ? `the bot (${safe(incident.declaredBy.slice(7))})` : `<@${incident.declaredBy}>`}`),
  ];
  if (incident.status === 'resolved' && incident.resolvedAt) {
    fields.push(
      field(`*Resolved*\n${slackDate(incident.resolvedAt, utcStamp(incident.resolvedAt))}`),
      field(`*Lasted*\n${duration(minutesBetween(incident.declaredAt, incident.resolvedAt))}`),
    );
  }
  return { type: 'section', fields };
}

/** A paging severity with no PagerDuty service at all: say so where everyone looks, not only once in the channel. */
function notPagedBlock(incident: Incident, paging: PagingPolicy): KnownBlock | undefined {
  if (!paging.pageSeverities.includes(incident.severity) || paging.services.length > 0) return undefined;
  return section(
    `:no_bell: *Not paged: PagerDuty is not configured* (this bot has no routing key), so this ${severityLabel(incident.severity)} paged nobody. Reach the on-call another way.`,
  );
}

function postmortemPlace(postmortem: HeaderFacts['postmortem']): string {
  if (postmortem?.canvasId) return "is in this channel's canvas";
  if (postmortem?.fileId) return 'is posted in this channel as a Markdown file';
  return 'is being published in this channel';
}

function resolvedBlocks(incident: Incident, facts: HeaderFacts): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (incident.resolveSummary) blocks.push(section(`*Resolution*\n${safe(incident.resolveSummary)}`));
  blocks.push(
    section(
      `:memo: *Postmortem*: the draft ${postmortemPlace(facts.postmortem)}. \`/incident postmortem\` rewrites it from what is recorded now; ` +
        `\`/incident reopen\` brings the incident back to investigating.`,
    ),
  );
  return blocks;
}

/** One section for all SLOs, whatever their number: the header stays far below Slack's 50 blocks. */
function sloBlock(slo: HeaderSlo): KnownBlock {
  const lines = [...slo.figures.map(headerSloLine), ...slo.pending.map((name) => `*${safe(name)}*: being computed…`)];
  if (lines.length === 0) lines.push('_no SLO of this service is in the SLO files any more_');
  const text = fitLines({
    head: [`:bar_chart: *SLOs of ${safe(slo.service)}*`],
    lines,
    max: SLACK_LIMITS.sectionText,
    keep: 'first',
    omitted: (n) => `_…and ${n} more: \`/incident slo\` shows every one_`,
    linePointer: '…',
  });
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** Resolve, and Take IC while nobody leads the incident (one an alert declared). */
function headerButtons(incident: Incident, holders: readonly RoleHolder[]): KnownBlock {
  const takeIc = holders.some((h) => h.role === 'ic')
    ? []
    : [{ type: 'button' as const, action_id: BUTTON_IDS.takeIc, text: { type: 'plain_text' as const, text: 'Take IC' }, value: JSON.stringify({ incidentId: incident.id }) }];
  return {
    type: 'actions',
    elements: [
      ...takeIc,
      {
        type: 'button',
        action_id: BUTTON_IDS.resolve,
        text: { type: 'plain_text', text: 'Resolve' },
        style: 'primary',
        value: JSON.stringify({ incidentId: incident.id }),
        confirm: {
          title: { type: 'plain_text', text: `Resolve ${incidentRef(incident.id)}?` },
          text: { type: 'plain_text', text: 'The incident is closed, the duration announced and the postmortem drafted.' },
          confirm: { type: 'plain_text', text: 'Resolve' },
          deny: { type: 'plain_text', text: 'Not yet' },
        },
      },
    ],
  };
}

/** The commands that matter next; usage placeholders like `<ic|…>` are escaped, or Slack would read them as links. */
function nextSteps(incident: Incident, timelineEmoji: string): string {
  if (incident.status === 'resolved') {
    return `Resolved. Next: ${[USAGE.postmortem, USAGE.action, USAGE.actions, USAGE.reopen].map(escapeStrayMarkup).join(' · ')}`;
  }
  const commands = [USAGE.status, USAGE.role, USAGE.severity, USAGE.note].map(escapeStrayMarkup).join(' · ');
  return `Next: ${commands} · react with :${timelineEmoji}: to put a message on the timeline`;
}


/** At most this many on-calls are named; the rest are counted (every one of them was invited). */
const ON_CALL_NAMED = 10;

/** `<@U1>, <@U2> and 3 more`: everyone PagerDuty had on call at level 1. */
function onCallNames(userIds: readonly string[]): string {
  const named = userIds.slice(0, ON_CALL_NAMED).map((u) => `<@${u}>`).join(', ');
  return userIds.length > ON_CALL_NAMED ? `${named} and ${userIds.length - ON_CALL_NAMED} more` : named;
}
/** The message pinned in an incident channel; edited in place as the incident changes. */
export function incidentHeaderBlocks(incident: Incident, holders: readonly RoleHolder[], facts: HeaderFacts): KnownBlock[] {
  const title = safePlain(`${incidentRef(incident.id)}: ${incident.title}`);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: fitText(title, SLACK_LIMITS.headerText, '…') } },
    factFields(incident),
    { type: 'section', fields: ROLES.map((role) => field(`*${ROLE_TITLES[role]}*\n${holderOf(holders, role)}`)) },
  ];
  if (incident.oncallUserIds.length > 0) blocks.push(section(`*On call (PagerDuty)*\n${onCallNames(incident.oncallUserIds)}`));
  const notPaged = notPagedBlock(incident, facts.paging);
  if (notPaged) blocks.push(notPaged);
  if (incident.description) blocks.push(section(`*Impact*\n${safe(incident.description)}`));
  if (facts.runbookUrl && isWebUrl(facts.runbookUrl)) blocks.push(section(`:book: *Runbook*: ${slackLink(facts.runbookUrl, 'open the runbook')}`));
  if (facts.slo) blocks.push(sloBlock(facts.slo));
  if (incident.status === 'resolved') blocks.push(...resolvedBlocks(incident, facts));
  else blocks.push(headerButtons(incident, holders));
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: fitText(nextSteps(incident, facts.timelineEmoji), SLACK_LIMITS.contextText, '…') }],
  });
  return blocks;
}

/** Plain-text summary of the header, for notifications and clients without blocks. */
export function incidentHeaderText(incident: Incident): string {
  const text = `${incidentRef(incident.id)} ${severityLabel(incident.severity)} ${statusLabel(incident.status)}: ${safe(incident.title)}`;
  return fitText(text, SLACK_LIMITS.fallbackText, '…');
}

/** Channel topic: severity, status and IC at a glance (Slack allows 250 characters). */
export function incidentTopic(incident: Incident, holders: readonly RoleHolder[]): string {
  const ic = holders.find((h) => h.role === 'ic');
  return `${severityLabel(incident.severity)} | ${statusLabel(incident.status)} | IC: ${ic ? `<@${ic.userId}>` : 'unassigned'}`.slice(0, 250);
}

export function incidentPurpose(incident: Incident): string {
  return fitText(safePlain(`${incidentRef(incident.id)}: ${incident.title}`), 250, '…');
}
