import { z } from 'zod';
import type { Severity } from '../domain/model.js';
import { measuredIncidentBudget, type IncidentBudgetUse } from './budget.js';
import { SloConfigError, type SloDefinition } from './model.js';

/**
 * The error ratio assumed for an incident of each severity when there is no
 * measurement (no Prometheus, or an SLI described only in words). SEV1 is a
 * full outage by definition; SEV2 and SEV3 are the team's call.
 */
export interface SeverityErrorRatios {
  readonly sev1: 1;
  readonly sev2: number;
  readonly sev3: number;
}

/** Half the requests failing for a SEV2, a tenth for a SEV3, unless SLO_ESTIMATE_SEV2/3 say otherwise. */
export const DEFAULT_SEVERITY_ERROR_RATIOS: SeverityErrorRatios = Object.freeze({ sev1: 1, sev2: 0.5, sev3: 0.1 });

const RATIO_PROBLEM = 'must be the fraction of requests failing, from 0 to 1, like 0.5 (or a percentage like 50%)';

/** One variable's value: `0.5` or `50%`; blank means the default. */
function ratioVariable(fallback: number) {
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .string()
      .trim()
      .regex(/^(\d+(\.\d+)?%|\d*\.?\d+)$/, RATIO_PROBLEM)
      .transform((s) => (s.endsWith('%') ? Number(`${s.slice(0, -1)}e-2`) : Number(s)))
      .refine((n) => n >= 0 && n <= 1, RATIO_PROBLEM)
      .default(fallback),
  );
}

/**
 * The zod shape of SLO_ESTIMATE_SEV2 and SLO_ESTIMATE_SEV3, each with its
 * default: to spread into config.ts's EnvSchema, so these problems are listed
 * with every other variable's. `parseSeverityErrorRatios` is the same on its own.
 */
export const SLO_ESTIMATE_ENV_SHAPE = {
  SLO_ESTIMATE_SEV2: ratioVariable(DEFAULT_SEVERITY_ERROR_RATIOS.sev2),
  SLO_ESTIMATE_SEV3: ratioVariable(DEFAULT_SEVERITY_ERROR_RATIOS.sev3),
} as const;

/**
 * Reads SLO_ESTIMATE_SEV2 and SLO_ESTIMATE_SEV3 (`0.5`, `50%`; unset or blank:
 * the defaults). A bad value throws SloConfigError naming the variable, in
 * config.ts's style (`SLO_ESTIMATE_SEV2 must be ...`).
 */
export function parseSeverityErrorRatios(env: Readonly<Record<string, string | undefined>> = process.env): SeverityErrorRatios {
  const parsed = z.object(SLO_ESTIMATE_ENV_SHAPE).safeParse({ SLO_ESTIMATE_SEV2: env.SLO_ESTIMATE_SEV2, SLO_ESTIMATE_SEV3: env.SLO_ESTIMATE_SEV3 });
  if (!parsed.success) throw new SloConfigError(parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`));
  return Object.freeze({ sev1: 1, sev2: parsed.data.SLO_ESTIMATE_SEV2, sev3: parsed.data.SLO_ESTIMATE_SEV3 });
}

/**
 * An incident's use of the budget estimated from its impact window and
 * severity: the severity's assumed error ratio × the impact ÷ the budget.
 * Always `kind: 'estimate'`, with the severity it rests on.
 */
export function estimateIncidentBudget(
  slo: Pick<SloDefinition, 'target' | 'window'>,
  incident: { impactMs: number; severity: Severity },
  ratios: SeverityErrorRatios = DEFAULT_SEVERITY_ERROR_RATIOS,
): IncidentBudgetUse {
  const measuredShape = measuredIncidentBudget(slo, { impactMs: incident.impactMs, errorRatio: ratios[incident.severity] });
  return { ...measuredShape, kind: 'estimate', severity: incident.severity };
}
