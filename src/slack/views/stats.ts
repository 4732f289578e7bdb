import type { types } from '@slack/bolt';
import { incidentRef, type DeclaredVia, DECLARED_VIA, SEVERITIES } from '../../domain/model.js';
import type { StatsReport } from '../../domain/stats-report.js';
import type { DurationFigures, PeriodFigures } from '../../domain/stats.js';
import { formatInTimeZone } from '../../domain/time.js';
import { safe } from '../text.js';
import { severityLabel } from './labels.js';
import { fitLines, fitText, SLACK_LIMITS } from './limits.js';
import { AT_LEAST, budgetText, PARTLY_ESTIMATED, compared, countText, minutesText, plural } from './stats-lines.js';

type KnownBlock = types.KnownBlock;

const SOURCE_NAMES: Record<DeclaredVia, string> = { command: 'slash command', form: 'form', alert: 'alert' };

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: fitText(text, SLACK_LIMITS.sectionText, '…') } });

/** A section of a heading and bullet lines, left out from the end when they do not fit, saying how many. */
function listSection(head: string, lines: readonly string[], more: string): KnownBlock {
  const text = fitLines({ head: [head], lines, max: SLACK_LIMITS.sectionText, keep: 'first', omitted: (n) => `_…and ${n} more ${more}_`, linePointer: '…' });
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function incidentsText(now: PeriodFigures, before: PeriodFigures): string {
  const severities = SEVERITIES.map((s) => `${severityLabel(s)} ${compared(now.bySeverity[s], before.bySeverity[s], countText)}`);
  const sources = DECLARED_VIA.map((s) => `${SOURCE_NAMES[s]} ${compared(now.bySource[s], before.bySource[s], countText)}`);
  const impactOpen = now.impact.unknown > 0 ? `; ${now.impact.unknown} still going, not counted` : '';
  return [
    `*Incidents*: ${compared(now.incidents, before.incidents, countText)}`,
    `By severity: ${severities.join(' · ')}`,
    `By source: ${sources.join(' · ')}`,
    `Repeat incidents (a service or alert name seen earlier in the period): ${compared(now.repeats, before.repeats, countText)}`,
    `Impact minutes: ${compared(now.impact.minutes, before.impact.minutes, countText)} over ${plural(now.impact.measured, 'incident')}${impactOpen}`,
  ].join('\n');
}

function durationLine(title: string, now: DurationFigures, before: DurationFigures, known: string, unknown: string, mean?: string): string {
  const total = now.measured + now.unknown;
  const count = `${known}: ${now.measured} of ${total}${now.unknown > 0 ? `; ${now.unknown} ${unknown}` : ''}`;
  if (now.measured === 0 && before.measured === 0) return `${title}: no figure in either period — _${count}_`;
  const parts = [`median ${compared(now.median, before.median, minutesText)}`, `p90 ${compared(now.p90, before.p90, minutesText)}`];
  if (mean) parts.push(`${mean} ${compared(now.mean, before.mean, minutesText)}`);
  return `${title}: ${parts.join(' · ')} — _${count}_`;
}

function responseText(now: PeriodFigures, before: PeriodFigures): string {
  return [
    durationLine('*Time to detect* (impact start → first alert received, or the declaration if a person came first)', now.detect, before.detect, 'measured', 'unknown (no alert, or no impact start recorded)'),
    durationLine('*Time to acknowledge* (declaration → first page acknowledgement)', now.acknowledge, before.acknowledge, 'acknowledged', 'unknown (no acknowledgement recorded)'),
    durationLine('*Time to resolve* (impact start, else the declaration → resolve)', now.resolve, before.resolve, 'resolved', 'still open', 'MTTR (mean)'),
  ].join('\n');
}

function followUpText(now: PeriodFigures, before: PeriodFigures): string {
  const a = now.followUps;
  const b = before.followUps;
  return [
    `*Follow-ups*: opened ${compared(a.opened, b.opened, countText)} · done ${compared(a.done, b.done, countText)}`,
    `Done by their due day: ${a.doneOnTime} of ${a.done} (was ${b.doneOnTime} of ${b.done})`,
    `Overdue at the end of the period: ${compared(a.overdue, b.overdue, countText)}`,
  ].join('\n');
}

function day(date: Date, timeZone: string): string {
  return formatInTimeZone(date, 'd MMM yyyy HH:mm', timeZone);
}

/**
 * The answer to `/incident stats`: every figure beside the period before's,
 * in at most eight blocks, each text fitted to Slack's limits. Incidents are
 * named (repeats) only as the report allows: it holds only those the reader
 * may read about, and counts the rest.
 */
export function statsBlocks(report: StatsReport, timeZone: string): { text: string; blocks: KnownBlock[] } {
  const { periods, current: now, previous: before } = report;
  const title =
    `:bar_chart: *Reliability, ${periods.label}*, beside ${periods.previousLabel}\n` +
    `_${day(periods.current.from, timeZone)} – ${day(periods.current.to, timeZone)}, against ${day(periods.previous.from, timeZone)} – ${day(periods.previous.to, timeZone)} (${safe(timeZone)})_`;
  const services = report.services.map((s) => `• ${safe(s.service)}: ${compared(s.incidents, s.previous, countText)}`);
  const budgets = report.budgets.map((b) => {
    const unknown = b.unknown > 0 ? `; ${b.unknown} unknown` : '';
    return `• ${safe(b.service)} ${safe(b.name)}: ${compared(b.consumed, b.previous, budgetText)} of its budget, over ${plural(b.incidents, 'incident')}${unknown}${b.estimate ? PARTLY_ESTIMATED : ''}${b.atLeast ? AT_LEAST : ''}`;
  });
  const repeats = report.repeats.map((r) => `• ${incidentRef(r.incident.id)} ${safe(r.incident.title)}: ${r.by.kind === 'service' ? 'service' : 'alert'} ${safe(r.by.name)} again, after ${incidentRef(r.after.id)}`);
  if (report.hiddenRepeats > 0) repeats.push(`• ${plural(report.hiddenRepeats, 'more repeat')} involving a private incident, not named here`);
  const notes = [
    'Incidents belong to the period they were declared in; every figure comes from recorded timestamps, and what lacks one is counted as unknown, never guessed. Median and p90 by nearest rank: always a recorded duration.',
  ];
  if (report.hidden > 0) notes.unshift(`${plural(report.hidden, 'private incident')} of this period ${report.hidden === 1 ? 'is' : 'are'} counted above, not shown by service, budget or repeat: only members of ${report.hidden === 1 ? 'its channel' : 'their channels'} see ${report.hidden === 1 ? 'it' : 'them'} named.`);
  const blocks: KnownBlock[] = [
    section(title),
    section(incidentsText(now, before)),
    section(responseText(now, before)),
    services.length > 0 ? listSection('*Services with the most incidents*', services, 'services') : section('*Services with the most incidents*: none linked to a service'),
    budgets.length > 0 ? listSection('*Most error budget burned* (the share of each SLO\'s budget the period\'s incidents spent)', budgets, 'SLOs') : section('*Most error budget burned*: no SLO figures recorded'),
    repeats.length > 0 ? listSection('*Repeat incidents*', repeats, 'repeats') : section('*Repeat incidents*: none'),
    section(followUpText(now, before)),
    { type: 'context', elements: [{ type: 'mrkdwn', text: fitText(notes.join(' '), SLACK_LIMITS.contextText, '…') }] },
  ];
  const text = `Reliability, ${periods.label}: ${plural(now.incidents, 'incident')} (was ${before.incidents}), MTTR ${now.resolve.mean === null ? 'unknown' : minutesText(now.resolve.mean)}`;
  return { text: fitText(text, SLACK_LIMITS.fallbackText, '…'), blocks };
}
