import type { types } from '@slack/bolt';
import type { MissingFigure } from '../../domain/slo-figures.js';
import type { BudgetStatus, IncidentBudgetUse } from '../../slo/budget.js';
import type { SloDefinition } from '../../slo/model.js';
import type { PolicyThreshold } from '../../slo/policy.js';
import { safe } from '../text.js';
import { utcStamp } from './labels.js';
import { fitLines, fitText, SLACK_LIMITS } from './limits.js';
import { badTimeText, percentText, sloTitle, statusText, thresholdText } from './slo-lines.js';

type KnownBlock = types.KnownBlock;

/** Where the budget figure of a report entry came from. */
export type StatusSource =
  | { readonly kind: 'live' }
  /** Prometheus could not answer now (`why`): the figure is the last one stored. */
  | { readonly kind: 'stored'; readonly computedAt: Date; readonly why: string }
  | { readonly kind: 'estimate' };

/** One incident that burned an SLO's budget in its window; `label` is already escaped. */
export interface BurningIncident {
  readonly label: string;
  readonly use: IncidentBudgetUse;
}

/** What `/incident slo` says of one SLO. */
export interface SloReportEntry {
  readonly slo: SloDefinition;
  readonly status: BudgetStatus | MissingFigure;
  readonly source: StatusSource;
  /** The policy thresholds of the SLO's service. */
  readonly thresholds: readonly PolicyThreshold[];
  readonly inEffect: PolicyThreshold | undefined;
  /** Most costly first. */
  readonly incidents: readonly BurningIncident[];
  /** What Prometheus was asked for the live figure, in words (plain text). */
  readonly asked: readonly string[];
}

function policyLine(entry: SloReportEntry): string {
  if (entry.status.kind === 'missing') return '*Policy*: unknown while the budget is';
  if (entry.inEffect) return `*Policy*: at or below ${thresholdText(entry.inEffect.budgetRemaining)}: ${entry.inEffect.actions.map(safe).join('; ')}`;
  const next = entry.thresholds[0];
  return next ? `*Policy*: above every threshold (the first, at ${thresholdText(next.budgetRemaining)}: ${next.actions.map(safe).join('; ')})` : '*Policy*: no thresholds';
}

function sourceNote(source: StatusSource): string {
  switch (source.kind) {
    case 'live':
      return ' _(measured now)_';
    case 'estimate':
      return ' _(estimate)_';
    case 'stored':
      return ` _(as last computed, ${utcStamp(source.computedAt)}: Prometheus did not answer now: ${safe(source.why)})_`;
  }
}

function incidentLine(burning: BurningIncident): string {
  const { use } = burning;
  const estimate = use.kind === 'estimate' ? ' _(estimate)_' : '';
  return `• ${burning.label}: ${use.kind === 'estimate' ? '~' : ''}${badTimeText(use.badTimeMs)} (${percentText(use.consumed)} of budget)${estimate}`;
}

function entryText(entry: SloReportEntry): string {
  const { slo } = entry;
  const head = [
    `${sloTitle({ name: `${slo.service} ${slo.name}`, target: slo.target, windowText: slo.window.text })}: budget ${badTimeText((1 - slo.target) * slo.window.ms)}`,
    `${statusText(entry.status)}${entry.status.kind === 'missing' ? '' : sourceNote(entry.source)}`,
    policyLine(entry),
    entry.incidents.length > 0 ? `*Burned it in this window*, most costly first:` : '_No recorded incident burned it in this window._',
  ];
  const asked = entry.asked.map((q) => `_Asked:_ \`${safe(q)}\``);
  return fitLines({
    head,
    lines: [...entry.incidents.map(incidentLine), ...asked],
    max: SLACK_LIMITS.sectionText,
    keep: 'first',
    omitted: (n) => `_…and ${n} more lines_`,
    linePointer: '…',
  });
}

/** The answer to `/incident slo`: one section per SLO, within one message's 50 blocks. */
export function sloReport(scope: string, entries: readonly SloReportEntry[]): { text: string; blocks: KnownBlock[] } {
  const title = `:bar_chart: *Error budgets: ${safe(scope)}* (${entries.length} SLO${entries.length === 1 ? '' : 's'})`;
  const room = SLACK_LIMITS.blocksPerMessage - 2;
  const shown = entries.slice(0, room);
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: fitText(title, SLACK_LIMITS.sectionText, '…') } },
    ...shown.map((e): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: entryText(e) } })),
  ];
  if (entries.length > shown.length) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${entries.length - shown.length} more SLOs: name a service after \`/incident slo\` to see its own.` }] });
  }
  const text = `Error budgets: ${safe(scope)} (${entries.length} SLO${entries.length === 1 ? '' : 's'})`;
  return { text: fitText(text, SLACK_LIMITS.fallbackText, '…'), blocks };
}
