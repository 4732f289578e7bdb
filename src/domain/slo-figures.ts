import type { BudgetStatus, IncidentBudgetUse } from '../slo/budget.js';
import type { Incident } from './model.js';
import type { ErrorBudgetPolicy } from '../slo/policy.js';
import type { SloCatalog } from '../slo/model.js';

/** A figure that could not be had, and why (Prometheus down, no data, a bad query). */
export interface MissingFigure {
  readonly kind: 'missing';
  readonly reason: string;
}

/**
 * What one SLO says about one incident, as computed at `computedAt`: what the
 * incident burned of the budget (over its impact window), and the budget left
 * in the SLO's window with the current burn rate. Either part may be measured
 * (Prometheus), an estimate (from the impact window and severity), or missing
 * with the reason. Stored as JSON; the postmortem states the `final` ones.
 */
export interface SloFigures {
  /** `service/name`, the catalog's id. */
  readonly sloId: string;
  readonly service: string;
  readonly name: string;
  /** The objective as a fraction (0.999). */
  readonly target: number;
  readonly windowText: string;
  readonly windowMs: number;
  readonly budgetMs: number;
  readonly incident: IncidentBudgetUse | MissingFigure;
  readonly status: BudgetStatus | MissingFigure;
  /** What Prometheus was asked, in words, so people can check the figure. */
  readonly asked: readonly string[];
}

export interface StoredSloFigures {
  readonly figures: SloFigures;
  readonly computedAt: Date;
  /** Computed at resolve: what the postmortem states, not recomputed unless asked. */
  readonly final: boolean;
}

export interface SloFigureRepo {
  /** Replaces the incident's figures for this SLO. */
  save(incidentId: number, figures: SloFigures, computedAt: Date, final: boolean): Promise<void>;
  forIncident(incidentId: number): Promise<StoredSloFigures[]>;
  /** Every incident's figures for one SLO (`service/name`). */
  forSlo(sloId: string): Promise<(StoredSloFigures & { readonly incidentId: number })[]>;
  /**
   * The figures for one SLO of the incidents whose impact window (impactWindow)
   * ends at or after `since`, each with its incident, by incident number: what
   * a window's budget adds up, read in one query whatever the history holds.
   */
  inWindow(sloId: string, since: Date): Promise<(StoredSloFigures & { readonly incident: Incident })[]>;
}

export interface ThresholdPostRepo {
  /**
   * Claims the post of one policy threshold of one SLO in one window period;
   * false when it was already posted (here, before a restart, or by another
   * instance). Called inside the transaction that queues the posts.
   */
  claim(sloId: string, period: number, thresholdBp: number, incidentId: number | null, now: Date): Promise<boolean>;
}

/** The SLO catalog and the error-budget policy, read and checked at start. */
export interface SloSettings {
  readonly catalog: SloCatalog;
  readonly policy: ErrorBudgetPolicy;
}
