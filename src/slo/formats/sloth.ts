import { z } from 'zod';
import { optionalTextField, queryField, serviceField, sloNameField, targetPercentField } from '../fields.js';
import type { SliDefinition, SloWindow } from '../model.js';
import { parseDocument } from '../problems.js';
import type { DocumentResult } from './draft.js';

/*
 * Sloth's `prometheus/v1` spec (github.com/slok/sloth, pkg/prometheus/api/v1):
 * `service`, `labels`, `slos[]` with `objective` (a percentage) and an `sli`
 * of `events` (error_query/total_query) or `raw` (error_ratio_query). The
 * spec has no window: Sloth takes it from `--default-slo-period` (30d), and
 * so does the loader (`slothWindow`). Keys this bot has no use for (alerting,
 * plugins) are let through, as Sloth's own reader does.
 */

export const SLOTH_VERSION = 'prometheus/v1';

const labels = z.record(z.string(), z.unknown()).optional();

const SlothSli = z
  .object({
    events: z.object({ error_query: queryField, total_query: queryField }).optional(),
    raw: z.object({ error_ratio_query: queryField }).optional(),
    plugin: z.unknown().optional(),
  })
  .transform((sli, ctx): SliDefinition => {
    const given = [sli.events, sli.raw, sli.plugin].filter((x) => x !== undefined).length;
    if (sli.plugin !== undefined && given === 1) {
      ctx.addIssue({ code: 'custom', path: ['plugin'], message: 'SLI plugins are not read here; write the queries as sli.events (error_query, total_query) or sli.raw (error_ratio_query)' });
      return z.NEVER;
    }
    if (given !== 1) {
      ctx.addIssue({ code: 'custom', message: 'must hold exactly one of events (error_query, total_query) or raw (error_ratio_query)' });
      return z.NEVER;
    }
    if (sli.events) return { kind: 'events', errorQuery: sli.events.error_query, totalQuery: sli.events.total_query };
    return { kind: 'error-ratio', errorRatioQuery: (sli.raw as { error_ratio_query: string }).error_ratio_query };
  });

const SlothSlo = z.object({
  name: sloNameField,
  description: optionalTextField,
  objective: targetPercentField,
  labels,
  sli: SlothSli,
});

const SlothFile = z.object({
  version: z.literal(SLOTH_VERSION, { error: `must be "${SLOTH_VERSION}", the Sloth spec version read here` }),
  service: serviceField,
  labels,
  slos: z.array(SlothSlo).min(1),
});

/** Sloth files have no owner field; teams put one in `labels` (Sloth's own examples use `owner`). */
function ownerIn(labelSet: Record<string, unknown> | undefined): string | undefined {
  for (const key of ['owner', 'team']) {
    const value = labelSet?.[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** Reads one Sloth prometheus/v1 document; every SLO gets `window`. */
export function readSlothDocument(document: unknown, window: SloWindow): DocumentResult {
  const parsed = parseDocument(SlothFile, document);
  if (!parsed.ok) return parsed;
  const spec = parsed.value;
  return {
    ok: true,
    slos: spec.slos.map((slo, i) => ({
      service: spec.service,
      name: slo.name,
      description: slo.description,
      target: slo.objective,
      window,
      owner: ownerIn(slo.labels) ?? ownerIn(spec.labels),
      sli: slo.sli,
      namePath: `slos[${i}].name`,
    })),
  };
}
