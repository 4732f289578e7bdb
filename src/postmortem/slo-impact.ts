/**
 * What the incident cost its service's SLOs, in the postmortem: the error
 * budget line at the top, the SLO impact section, and the P0 action item the
 * error-budget policy asks for. Written from the figures stored at resolve
 * (`final`), so publishing the draft again states the same numbers; an
 * estimate is called one wherever it is shown, with what it assumed.
 */
import type { BudgetStatus, IncidentBudgetUse } from '../slo/budget.js';
import { thresholdInEffect } from '../slo/policy.js';
import { isSettled, settledCause, type SettledCause } from '../slo/too-short-impact.js';
import type { MissingFigure, SloFigures, StoredSloFigures } from '../domain/slo-figures.js';
import type { PostmortemData } from './data.js';
import { formatInTimeZone } from '../domain/time.js';
import { cell, utc } from './markdown.js';
import type { TimeFormat } from './narrative.js';
import { askedText, budgetTime, configuredPercent, estimateAssumption, impactDuration, percent, remainingPercent, windowAdjective, windowNoun } from './slo-format.js';

/** The common error-budget policy rule: one incident using more than this share of a budget gets a postmortem with a P0 action item. */
export const POSTMORTEM_REQUIRED_ABOVE = 0.2;

/** Where the SLO figures of an incident stand, as the draft tells it. */
export type SloStanding =
  | { readonly kind: 'not-configured' }
  | { readonly kind: 'no-service' }
  | { readonly kind: 'no-slos'; readonly service: string }
  | { readonly kind: 'being-computed'; readonly service: string; readonly names: readonly string[] }
  | { readonly kind: 'figures'; readonly service: string; readonly figures: readonly StoredSloFigures[]; readonly final: boolean };

/**
 * A resolved incident states only figures computed at or after its resolve
 * (an earlier resolve's, before a reopen, measured another window); an open
 * one shows the latest figures so far.
 */
export function sloStanding(data: PostmortemData): SloStanding {
  const { incident, slo, sloFigures } = data;
  const service = incident.service;
  if (!service) return slo.configured ? { kind: 'no-service' } : { kind: 'not-configured' };
  if (slo.serviceSlos.length === 0 && sloFigures.length === 0) return { kind: 'no-slos', service };
  const resolvedAt = incident.status === 'resolved' ? incident.resolvedAt : null;
  const figures = resolvedAt ? sloFigures.filter((s) => s.final && s.computedAt.getTime() >= resolvedAt.getTime()) : sloFigures;
  if (figures.length === 0) return { kind: 'being-computed', service, names: slo.serviceSlos };
  return { kind: 'figures', service, figures, final: resolvedAt !== null };
}

const isMissing = (f: IncidentBudgetUse | BudgetStatus | MissingFigure): f is MissingFigure => f.kind === 'missing';

/**
 * The incident's use of an SLO's budget when it is known and over the
 * policy's 20 %, as the draft shows it: 20.04 % is written `20.0 %`, and a
 * draft saying "used 20.0 %: more than 20 %, P0 required" contradicts itself
 * (so does a hair above 20 % in floating point).
 */
export function requiresPostmortem(figures: SloFigures): boolean {
  return !isMissing(figures.incident) && Number.parseFloat(percent(figures.incident.consumed)) > POSTMORTEM_REQUIRED_ABOVE * 100;
}

// The SLO job stores a missing figure with its reason; the periodic refresh asks again and, once resolved, rewrites the draft.
const RECOMPUTE = 'asked again at each periodic SLO refresh, and this draft rewritten once it is had';
const RECOMPUTE_HOW = '`/incident impact started|ended <time>` also recomputes the figures';
// An impact too short to measure is recorded as final (too-short-impact.ts): the draft says so, not that it is asked again.
const SETTLED = 'recorded so for this postmortem and not asked again';
const recompute = (figure: MissingFigure) => (isSettled(figure) ? SETTLED : RECOMPUTE);
/** Why a settled figure will not be had, in the Postmortem row. */
const SETTLED_WHY: Record<SettledCause, string> = {
  'too-short': 'the impact was too short to measure',
  'not-scraped': 'Prometheus has no samples of the SLI over the impact',
  'not-kept': "the impact's samples are past Prometheus's retention",
};

/** ` (over the 15 days Prometheus keeps, not the SLO's 30 days)` for a figure of a window longer than what is kept. */
function keptOnly(status: BudgetStatus): string {
  if (status.kind !== 'measured' || !status.retention) return '';
  return ` (over the ${windowNoun(status.retention.text)} Prometheus keeps, not the SLO's ${windowNoun(status.retention.windowText)})`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `32.6 % of the 30-day budget of checkout_availability consumed in this incident; 29 minutes remaining`. */
function budgetSentence(f: SloFigures): string {
  const budget = `the ${windowAdjective(f.windowText)} budget of ${cell(f.name)}`;
  const use = f.incident;
  const status = f.status;
  if (isMissing(use) && isMissing(status) && !isSettled(use)) {
    const reasons = [...new Set([use.reason, status.reason])].map(cell).join('; ');
    return `${capitalised(budget)}: not known (${reasons}); ${RECOMPUTE}.`;
  }
  const consumed = isMissing(use)
    ? `what this incident consumed of ${budget} is not known (${cell(use.reason)}; ${recompute(use)})`
    : use.kind === 'estimate'
      ? `an estimated ${percent(use.consumed)} of ${budget} consumed in this incident (estimate: ${estimateAssumption(use)})`
      : `${use.notKept ? 'at least ' : ''}${percent(use.consumed)} of ${budget} consumed in this incident${use.notKept ? ` (its first ${impactDuration(use.notKept.ms)} are past what Prometheus keeps)` : ''}`;
  let remaining: string;
  if (isMissing(status)) {
    remaining = `the budget remaining is not known (${cell(status.reason)})`;
  } else {
    const left = status.remaining * status.budgetMs;
    remaining = `${left < 0 ? `budget overspent by ${budgetTime(left)}` : `${budgetTime(left)} remaining`}${status.kind === 'estimate' ? ' (estimate)' : keptOnly(status)}`;
  }
  return `${capitalised(consumed)}; ${remaining}.`;
}

/** The text after **Error budget impact**: one sentence per SLO, or why there are none. */
export function errorBudgetLine(data: PostmortemData, at: TimeFormat): string {
  const standing = sloStanding(data);
  switch (standing.kind) {
    case 'not-configured':
      return 'No SLOs are configured (`SLO_FILES`), so no error budget was computed.';
    case 'no-service':
      return 'No affected service was linked: `/incident service <name>` links one; the error budgets of its SLOs are then computed and this draft rewritten.';
    case 'no-slos':
      return `${cell(standing.service)} has no SLO in the SLO files, so no error budget was computed.`;
    case 'being-computed':
      return `Being computed for the SLOs of ${cell(standing.service)}; this draft is rewritten with the figures when they land.`;
    case 'figures': {
      const sentences = standing.figures.map((s) => budgetSentence(s.figures));
      const soFar = standing.final ? '' : `So far (computed at ${computedAtText(data, at, latest(standing.figures))}, the incident is not resolved): `;
      const required = standing.figures.some((s) => requiresPostmortem(s.figures))
        ? ` **Postmortem required**: this incident used more than ${configuredPercent(POSTMORTEM_REQUIRED_ABOVE)} of an error budget (see SLO impact).`
        : '';
      return `${soFar}${sentences.join(' ')}${required}`;
    }
  }
}

function latest(figures: readonly StoredSloFigures[]): Date {
  return new Date(Math.max(...figures.map((s) => s.computedAt.getTime())));
}

/**
 * When figures were computed, said with its date when that is a day the
 * incident's own times do not cover: figures completed once Prometheus was
 * back may come days later, and `up to 09:15 UTC` would read as the
 * incident's day. (`at` gives a date only when the incident spans days.)
 */
function computedAtText(data: PostmortemData, at: TimeFormat, date: Date): string {
  const day = (d: Date) => formatInTimeZone(d, 'yyyyMMdd');
  const incidentDays = [data.impact.start, data.incident.declaredAt, data.incident.resolvedAt ?? data.incident.declaredAt].map(day);
  return incidentDays.includes(day(date)) ? at(date) : utc(date);
}

/** The P0 action items the error-budget policy asks for, proposed (not recorded): one per SLO over 20 %. */
export function proposedActions(data: PostmortemData): string[] {
  const standing = sloStanding(data);
  if (standing.kind !== 'figures') return [];
  return standing.figures.flatMap(({ figures: f }) => {
    if (isMissing(f.incident) || !requiresPostmortem(f)) return [];
    const label = f.incident.kind === 'estimate' ? ' (estimate)' : '';
    const floor = f.incident.kind === 'measured' && f.incident.notKept ? 'at least ' : '';
    return [`Reliability work for ${cell(f.name)}: this incident used ${floor}${percent(f.incident.consumed)}${label} of its ${windowAdjective(f.windowText)} budget`];
  });
}

function consumedCell(f: SloFigures): string {
  const use = f.incident;
  if (isSettled(use)) {
    const when = settledCause(use) === 'too-short' ? 'if the impact was in fact longer' : "if the impact's times are wrong";
    return `Not known: ${cell(use.reason)}. It is ${SETTLED} (${RECOMPUTE_HOW}, ${when})`;
  }
  if (isMissing(use)) return `Not known: ${cell(use.reason)}. It is ${RECOMPUTE} (${RECOMPUTE_HOW})`;
  const share = `${percent(use.consumed)} (${budgetTime(use.badTimeMs)} of ${budgetTime(use.budgetMs)})`;
  if (use.kind === 'estimate') return `${share}, an estimate: ${estimateAssumption(use)} over ${impactDuration(use.impactMs)} of impact`;
  if (use.notKept) {
    const measuredMs = use.impactMs - use.notKept.ms;
    return (
      `at least ${share}, measured: ${percent(use.errorRatio)} of requests failing on average over the last ${impactDuration(measuredMs)} of ${impactDuration(use.impactMs)} of impact; ` +
      `its first ${impactDuration(use.notKept.ms)} are past the ${windowNoun(use.notKept.retentionText)} Prometheus keeps (its storage retention), so what they burned is not known`
    );
  }
  return `${share}, measured: ${percent(use.errorRatio)} of requests failing on average over ${impactDuration(use.impactMs)} of impact`;
}

function remainingCell(s: StoredSloFigures, data: PostmortemData, at: TimeFormat): string {
  const status = s.figures.status;
  if (isMissing(status)) {
    const use = s.figures.incident;
    // Said once per SLO: when both are missing, the consumed cell already says how they are had again.
    return isMissing(use) && !isSettled(use) ? `Not known: ${cell(status.reason)}` : `Not known: ${cell(status.reason)}. It is ${RECOMPUTE} (${RECOMPUTE_HOW})`;
  }
  const left = status.remaining * status.budgetMs;
  // Never a negative share "remaining": an overspent budget says by how much.
  const amount = left < 0 ? `overspent by ${percent(-status.remaining)} of the budget (${budgetTime(left)})` : `${remainingPercent(status.remaining)} (${budgetTime(left)})`;
  if (status.kind === 'estimate') {
    const of = status.incidents === 1 ? "this incident's estimated use (the only incident in the window)" : `the estimated use of the ${status.incidents} incidents in the window, this one included`;
    return `${amount}, an estimate: the budget less ${of}`;
  }
  const upTo = computedAtText(data, at, s.computedAt);
  const over = status.retention
    ? `only the ${windowNoun(status.retention.text)} Prometheus keeps (its storage retention) up to ${upTo}, not over the SLO's ${windowNoun(s.figures.windowText)}: what came before is not known to it, so this is not the window's figure`
    : `the ${windowNoun(s.figures.windowText)} up to ${upTo}`;
  return `${amount}, measured over ${over}; burn rate then ${Number(status.burnRate.toFixed(2))}×`;
}

function policyCell(f: SloFigures, data: PostmortemData): string {
  const status = f.status;
  if (isMissing(status)) return `Not known: the budget remaining is missing`;
  const threshold = thresholdInEffect(data.slo.thresholds, status.remaining);
  const basis = status.kind === 'estimate' ? ' (from the estimate)' : keptOnly(status);
  if (!threshold) return `Within budget: no policy threshold crossed${basis}`;
  const level = threshold.budgetRemaining === 0 ? 'Budget spent' : `${configuredPercent(threshold.budgetRemaining)} or less left`;
  return `${level}: ${threshold.actions.map(cell).join(', ')}${basis}`;
}

function postmortemCell(f: SloFigures): string {
  const use = f.incident;
  if (isSettled(use)) return `Not known: ${SETTLED_WHY[settledCause(use)]}`;
  if (isMissing(use)) return 'Not known until the use of the budget is computed';
  const limit = configuredPercent(POSTMORTEM_REQUIRED_ABOVE);
  if (!requiresPostmortem(f)) return `Not required by the error-budget policy (${limit} of the budget or less in one incident)`;
  const basis = use.kind === 'estimate' ? ' (by the estimate)' : '';
  return `**Postmortem required**${basis}: more than ${limit} of the budget in one incident; a P0 action item is proposed under Action items`;
}

function windowText(data: PostmortemData, at: TimeFormat): string {
  const { start, end } = data.impact;
  if (!end) return `from ${at(start)}, still going on`;
  return `${at(start)} to ${at(end)} (${impactDuration(end.getTime() - start.getTime())})`;
}

/** `## SLO impact`: a table per SLO of the linked service, or why there is none. */
export function sloImpactSection(data: PostmortemData, at: TimeFormat): string[] {
  const out = ['## SLO impact', ''];
  const standing = sloStanding(data);
  if (standing.kind === 'being-computed') {
    const names = standing.names.length > 0 ? ` (${standing.names.map(cell).join(', ')})` : '';
    out.push(`The error budgets of the SLOs of ${cell(standing.service)}${names} are being computed, just after the resolve; this draft is rewritten with them when they land.`, '');
    return out;
  }
  if (standing.kind !== 'figures') {
    out.push(errorBudgetLine(data, at), '');
    return out;
  }
  out.push(`_What this incident cost each SLO of ${cell(standing.service)} over its impact window, ${windowText(data, at)}._`, '');
  out.push(
    standing.final
      ? `Computed at ${computedAtText(data, at, latest(standing.figures))}, after the resolve: these are the figures recorded for this postmortem, and \`/incident postmortem\` states them again as they are. Recording the impact again (\`/incident impact started|ended <time>\`) recomputes them and rewrites this draft.`
      : `So far: computed at ${computedAtText(data, at, latest(standing.figures))}, while the incident is open. The figures this postmortem states are computed at the resolve.`,
    '',
  );
  for (const s of standing.figures) {
    const f = s.figures;
    out.push(`### ${cell(f.name)}`, '', '| | |', '|---|---|');
    out.push(`| Target | ${configuredPercent(f.target)} |`);
    out.push(`| Window | ${windowNoun(f.windowText)}, rolling |`);
    out.push(`| Error budget | ${budgetTime(f.budgetMs)} (${configuredPercent(1 - f.target)} of ${windowNoun(f.windowText)}) |`);
    out.push(`| Consumed in this incident | ${consumedCell(f)} |`);
    out.push(`| Remaining after it | ${remainingCell(s, data, at)} |`);
    out.push(`| Policy state | ${policyCell(f, data)} |`);
    out.push(`| Postmortem | ${postmortemCell(f)} |`, '');
    if (f.asked.length > 0) out.push('What Prometheus was asked, to check these figures:', '', ...f.asked.map((q) => `- ${askedText(q)}`), '');
  }
  return out;
}
