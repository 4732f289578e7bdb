import type { Severity } from '../domain/model.js';
import type { MissingFigure, SloFigures } from '../domain/slo-figures.js';
import {
  errorBudgetMs,
  estimatedBudgetStatus,
  measuredBudgetStatus,
  measuredIncidentBudget,
  type BudgetStatus,
  type IncidentBudgetUse,
} from './budget.js';
import { estimateIncidentBudget, type SeverityErrorRatios } from './estimate.js';
import { readErrorRatio, type MeasuringPrometheus } from './error-ratio-reading.js';
import type { SloDefinition } from './model.js';
import type { StorageRetention } from '../prometheus/retention.js';
import { SharedBudgetStatuses } from './shared-budget-statuses.js';
import { impactWithoutSamples } from './impact-without-samples.js';

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

export type { MeasuringPrometheus };

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
type StatusReading = { status: BudgetStatus | MissingFigure; asked: string[]; retention: StorageRetention | undefined };

/** Per Prometheus client (per thread): the SLO statuses being asked right now. */
const recentStatuses = new WeakMap<MeasuringPrometheus, SharedBudgetStatuses<StatusReading>>();

export function measureBudgetStatus(slo: SloDefinition, now: Date, prometheus: MeasuringPrometheus): Promise<StatusReading> {
  let recent = recentStatuses.get(prometheus);
  if (!recent) recentStatuses.set(prometheus, (recent = new SharedBudgetStatuses()));
  return recent.get(slo.id, now, () => askBudgetStatus(slo, now, prometheus));
}

async function askBudgetStatus(slo: SloDefinition, now: Date, prometheus: MeasuringPrometheus): Promise<StatusReading> {
  if (slo.sli.kind === 'text') return { status: { kind: 'missing', reason: 'this SLI is described in words only, with no query to ask' }, asked: [], retention: undefined };
  const [window, recent, retention] = await Promise.all([
    readErrorRatio(prometheus, slo.sli, slo.window, now, `the SLO window (${slo.window.text})`),
    readErrorRatio(prometheus, slo.sli, BURN_RATE_RANGE_MS, now, 'the last hour'),
    // Cached by the client (retention.ts): one request per ten minutes, not per SLO.
    prometheus.queries.storageRetention?.(),
  ]);
  const asked = [...window.asked, ...recent.asked];
  if (!window.reading.ok) return { status: window.reading.missing, asked, retention };
  if (!recent.reading.ok) return { status: recent.reading.missing, asked, retention };
  return { status: measuredBudgetStatus(slo, { windowErrorRatio: window.reading.ratio, recentErrorRatio: recent.reading.ratio, retention }), asked, retention };
}

/**
 * How much of the impact's beginning Prometheus no longer keeps at `now`: an
 * impact that began before its time retention is measured over the rest
 * only, and says so. Undefined when all of it is kept, or none of it (an
 * impact wholly past the retention has no samples: impact-without-samples.ts).
 */
function notKeptPart(start: Date, end: Date, now: Date, retention: StorageRetention | undefined): { ms: number; retentionText: string } | undefined {
  if (!retention) return undefined;
  const keptFrom = now.getTime() - retention.ms;
  if (start.getTime() >= keptFrom || end.getTime() <= keptFrom) return undefined;
  return { ms: keptFrom - start.getTime(), retentionText: retention.text };
}

async function measured(input: MeasureInput, prometheus: MeasuringPrometheus): Promise<Pick<SloFigures, 'incident' | 'status' | 'asked'>> {
  const { slo, now } = input;
  const { start, end } = impactWindow(input.incident, now);
  const impactMs = end.getTime() - start.getTime();
  const readImpact = (ms: number) =>
    // An empty impact window burned nothing, and there is nothing to ask about it.
    ms > 0 ? readErrorRatio(prometheus, slo.sli, ms, end, `the impact window (${durationWords(ms)})`) : Promise.resolve({ reading: { ok: true, ratio: 0 } as const, asked: [] as string[] });
  // At once: a Prometheus that is slow costs one timeout, not three. The budget status reads the retention too.
  const [whole, budget] = await Promise.all([readImpact(impactMs), measureBudgetStatus(slo, now, prometheus)]);
  const notKept = notKeptPart(start, end, now, budget.retention);
  // A range reaching past what is kept is answered from the rest, which would read as the whole impact's
  // ratio: asked again over the kept part alone (rare: an impact longer ago than the retention).
  const impact = notKept ? await readImpact(impactMs - notKept.ms) : whole;
  const incident = impact.reading.ok
    ? measuredIncidentBudget(slo, { impactMs, errorRatio: impact.reading.ratio, notKept })
    : ((impact.reading.noSamples && impactWithoutSamples({ impactMs, impactEnd: end, now, windowMeasured: budget.status.kind === 'measured', retention: budget.retention })) ||
      impact.reading.missing);
  return { incident, status: budget.status, asked: [...impact.asked, ...budget.asked] };
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
