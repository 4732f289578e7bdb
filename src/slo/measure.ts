import type { Severity } from '../domain/model.js';
import type { MissingFigure, SloFigures } from '../domain/slo-figures.js';
import { describePrometheusQuery } from '../prometheus/describe.js';
import { isPrometheusError } from '../prometheus/errors.js';
import type { PrometheusQueries } from '../prometheus/port.js';
import {
  errorBudgetMs,
  estimatedBudgetStatus,
  measuredBudgetStatus,
  measuredIncidentBudget,
  type BudgetStatus,
  type IncidentBudgetUse,
} from './budget.js';
import { estimateIncidentBudget, type SeverityErrorRatios } from './estimate.js';
import type { SloDefinition } from './model.js';
import { errorRatioQuery } from './query.js';
import { SharedBudgetStatuses } from './shared-budget-statuses.js';

/*
 * What one incident costs one SLO, and where that SLO's budget stands.
 *
 * Which query gives the incident's error ratio: the SLI's own expression with
 * the impact's length as its range (`errorRatioQuery(sli, impactMs)`),
 * evaluated once, at the impact's end. For the usual `sum(rate(errors[w])) /
 * sum(rate(all[w]))` that is the ratio of the counters' increases over exactly
 * the impact window, i.e. failed requests ÷ requests between its first and
 * last sample: what test/support/openmetrics.ts expectedWindowRatio works out
 * from an outage list, so the figure can be checked by hand to 1e-12. The other
 * way (a range query of a 5m ratio, averaged with averageErrorRatio) weighs
 * each minute alike whatever its traffic and lags the impact by the 5m
 * rate window at both edges, so neither matches the SLO's own event count nor
 * can be checked without redoing Prometheus's sampling.
 */

const HOUR_MS = 3_600_000;

/** The recent range whose error ratio gives the burn rate shown beside the budget. */
export const BURN_RATE_RANGE_MS = HOUR_MS;

/** Slightly below 0 or above 1 is float noise (1 − good/total); past that the query is not a ratio. */
const RATIO_SLACK = 1e-9;

/** When users were hurt: the recorded edges, else declaration to resolve (or now, while open). */
export function impactWindow(
  incident: { readonly declaredAt: Date; readonly resolvedAt: Date | null; readonly impactStartedAt: Date | null; readonly impactEndedAt: Date | null },
  now: Date,
): { start: Date; end: Date } {
  const start = incident.impactStartedAt ?? incident.declaredAt;
  const recordedEnd = incident.impactEndedAt ?? incident.resolvedAt ?? now;
  const end = recordedEnd.getTime() > now.getTime() ? now : recordedEnd;
  return { start, end: end.getTime() < start.getTime() ? start : end };
}

/** Where Prometheus is, for measuring; undefined: every figure is an estimate. */
export interface MeasuringPrometheus {
  readonly queries: PrometheusQueries;
  /** Named in what was asked (no credentials: PrometheusClient.server). */
  readonly server?: string;
}

export interface MeasureInput {
  readonly slo: SloDefinition;
  readonly incident: {
    readonly severity: Severity;
    readonly declaredAt: Date;
    readonly resolvedAt: Date | null;
    readonly impactStartedAt: Date | null;
    readonly impactEndedAt: Date | null;
  };
  readonly now: Date;
  readonly prometheus: MeasuringPrometheus | undefined;
  readonly estimates: SeverityErrorRatios;
  /**
   * For an estimated budget status: what the other incidents of this SLO in
   * its window burned (their stored figures; the caller picks them). This
   * incident's own use is added here.
   */
  readonly otherUses: readonly IncidentBudgetUse[];
}

type Reading = { ok: true; ratio: number } | { ok: false; missing: MissingFigure };

const missing = (reason: string): { ok: false; missing: MissingFigure } => ({ ok: false, missing: { kind: 'missing', reason } });

/**
 * One error-ratio query's answer as a ratio, or why there is none. Only a
 * PrometheusError becomes a reason; anything else is a bug and is thrown.
 */
async function readRatio(prometheus: MeasuringPrometheus, expr: string, at: Date, over: string): Promise<Reading> {
  let value: number | null;
  try {
    value = await prometheus.queries.queryValue(expr, at);
  } catch (error) {
    if (isPrometheusError(error)) return missing(error.reason);
    throw error;
  }
  if (value === null) return missing(`Prometheus has no samples of this SLI over ${over}`);
  if (Number.isNaN(value)) return missing(`no requests over ${over} (Prometheus computed 0/0)`);
  if (!Number.isFinite(value) || value < -RATIO_SLACK || value > 1 + RATIO_SLACK) {
    return missing(`the SLI query gave ${value} over ${over}, not an error ratio between 0 and 1: check the SLO file`);
  }
  return { ok: true, ratio: Math.min(1, Math.max(0, value)) };
}

function durationWords(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.max(1, Math.round(ms / 1000))} s`;
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/**
 * Where an SLO's budget stands at `now`, asked of Prometheus: the error ratio
 * over the SLO window for what is left, over the last hour for the burn rate.
 * The SLI must have queries (not 'text'). Never rejects for Prometheus's sake.
 * Asked once for all the incidents of the SLO refreshed at the same time
 * (SharedBudgetStatuses).
 */
type StatusReading = { status: BudgetStatus | MissingFigure; asked: string[] };

/** Per Prometheus client (per thread): the SLO statuses being asked right now. */
const recentStatuses = new WeakMap<MeasuringPrometheus, SharedBudgetStatuses<StatusReading>>();

export function measureBudgetStatus(slo: SloDefinition, now: Date, prometheus: MeasuringPrometheus): Promise<StatusReading> {
  let recent = recentStatuses.get(prometheus);
  if (!recent) recentStatuses.set(prometheus, (recent = new SharedBudgetStatuses()));
  return recent.get(slo.id, now, () => askBudgetStatus(slo, now, prometheus));
}

async function askBudgetStatus(slo: SloDefinition, now: Date, prometheus: MeasuringPrometheus): Promise<StatusReading> {
  const windowExpr = errorRatioQuery(slo.sli, slo.window);
  const recentExpr = errorRatioQuery(slo.sli, BURN_RATE_RANGE_MS);
  if (windowExpr === undefined || recentExpr === undefined) return { status: { kind: 'missing', reason: 'this SLI is described in words only, with no query to ask' }, asked: [] };
  const asked = [
    describePrometheusQuery({ kind: 'instant', expr: windowExpr, at: now }, prometheus.server),
    describePrometheusQuery({ kind: 'instant', expr: recentExpr, at: now }, prometheus.server),
  ];
  const [window, recent] = await Promise.all([
    readRatio(prometheus, windowExpr, now, `the SLO window (${slo.window.text})`),
    readRatio(prometheus, recentExpr, now, 'the last hour'),
  ]);
  if (!window.ok) return { status: window.missing, asked };
  if (!recent.ok) return { status: recent.missing, asked };
  return { status: measuredBudgetStatus(slo, { windowErrorRatio: window.ratio, recentErrorRatio: recent.ratio }), asked };
}

async function measured(input: MeasureInput, prometheus: MeasuringPrometheus): Promise<Pick<SloFigures, 'incident' | 'status' | 'asked'>> {
  const { slo, now } = input;
  const { start, end } = impactWindow(input.incident, now);
  const impactMs = end.getTime() - start.getTime();
  // errorRatioQuery is only undefined for a 'text' SLI, which never reaches here.
  const impactExpr = errorRatioQuery(slo.sli, Math.max(impactMs, 1000))!;
  // At once: a Prometheus that is slow costs one timeout, not three.
  const [impact, budget] = await Promise.all([
    impactMs > 0 ? readRatio(prometheus, impactExpr, end, `the impact window (${durationWords(impactMs)})`) : Promise.resolve<Reading>({ ok: true, ratio: 0 }),
    measureBudgetStatus(slo, now, prometheus),
  ]);
  const incident = impact.ok ? measuredIncidentBudget(slo, { impactMs, errorRatio: impact.ratio }) : impact.missing;
  // An empty impact window burned nothing, and there was nothing to ask about it.
  const impactAsked = impactMs > 0 ? [describePrometheusQuery({ kind: 'instant', expr: impactExpr, at: end }, prometheus.server)] : [];
  return { incident, status: budget.status, asked: [...impactAsked, ...budget.asked] };
}

function estimated(input: MeasureInput): Pick<SloFigures, 'incident' | 'status' | 'asked'> {
  const { start, end } = impactWindow(input.incident, input.now);
  const use = estimateIncidentBudget(input.slo, { impactMs: end.getTime() - start.getTime(), severity: input.incident.severity }, input.estimates);
  return { incident: use, status: estimatedBudgetStatus(input.slo, [use, ...input.otherUses]), asked: [] };
}

/**
 * The figures of one SLO for one incident at `now`: measured when Prometheus
 * is configured and the SLI has queries, else an estimate from the impact
 * window and severity (labelled `estimate` in every part). A part Prometheus
 * could not give (down, slow, refused, no data) is `missing` with the reason;
 * this never rejects for Prometheus's sake.
 */
export async function measureSlo(input: MeasureInput): Promise<SloFigures> {
  const { slo } = input;
  const base = {
    sloId: slo.id,
    service: slo.service,
    name: slo.name,
    target: slo.target,
    windowText: slo.window.text,
    windowMs: slo.window.ms,
    budgetMs: errorBudgetMs(slo.target, slo.window.ms),
  };
  const parts = input.prometheus && slo.sli.kind !== 'text' ? await measured(input, input.prometheus) : estimated(input);
  return { ...base, ...parts };
}
