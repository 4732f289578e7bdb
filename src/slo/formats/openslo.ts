import { z } from 'zod';
import { optionalTextField, queryField, serviceField, sloNameField, targetFractionField, targetPercentField, windowField } from '../fields.js';
import type { SliDefinition, SloWindow } from '../model.js';
import { parseDocument } from '../problems.js';
import { DEFAULT_WINDOW } from '../window.js';
import type { DocumentResult } from './draft.js';

/*
 * OpenSLO v1 (github.com/OpenSLO/OpenSLO, README "SLO"): a `kind: SLO` whose
 * `spec.indicator` is written inline with a `ratioMetric` on a Prometheus
 * source (`type: Prometheus`, or a `metricSourceRef` naming an openslo/v1
 * DataSource of that type in any loaded file), `spec.query` holding PromQL
 * with `{{.window}}`. Each objective (`target: 0.999` or `targetPercent: 99.9`)
 * is one SLO; `timeWindow` must be rolling (30d when left out). Refused with a
 * message rather than guessed: `indicatorRef`, `thresholdMetric`, other
 * sources, calendar windows. Other kinds (Service, SLI, AlertPolicy...) are
 * valid documents that define no SLO.
 */

export const OPENSLO_VERSION = 'openslo/v1';
const KINDS = ['SLO', 'SLI', 'DataSource', 'Service', 'AlertPolicy', 'AlertCondition', 'AlertNotificationTarget'] as const;

/** DataSource name → its `spec.type`, from every openslo/v1 DataSource document loaded. */
export type OpenSloDataSources = ReadonlyMap<string, string>;

/** Collects the DataSources that `metricSourceRef` may name, across all files. */
export function collectOpenSloDataSources(documents: Iterable<unknown>): OpenSloDataSources {
  const sources = new Map<string, string>();
  for (const doc of documents) {
    const parsed = z
      .object({ apiVersion: z.literal(OPENSLO_VERSION), kind: z.literal('DataSource'), metadata: z.object({ name: z.string() }), spec: z.object({ type: z.string() }) })
      .safeParse(doc);
    if (parsed.success) sources.set(parsed.data.metadata.name, parsed.data.spec.type);
  }
  return sources;
}

function metricSchema(sources: OpenSloDataSources) {
  const metricSource = z
    .object({ metricSourceRef: z.string().optional(), type: z.string().optional(), spec: z.object({ query: queryField }) })
    .superRefine((source, ctx) => {
      const type = source.type ?? (source.metricSourceRef === undefined ? undefined : sources.get(source.metricSourceRef));
      if (type === undefined && source.metricSourceRef !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['metricSourceRef'], message: `names no openslo/v1 DataSource in the SLO files; add it, or write type: Prometheus` });
      } else if (type === undefined) {
        ctx.addIssue({ code: 'custom', path: ['type'], message: 'is required: write type: Prometheus' });
      } else if (type.toLowerCase() !== 'prometheus') {
        ctx.addIssue({ code: 'custom', path: source.type === undefined ? ['metricSourceRef'] : ['type'], message: `"${type}" is not measured here; only Prometheus sources are` });
      }
    });
  return z.object({ metricSource }).transform((m) => m.metricSource.spec.query);
}

function indicatorSchema(sources: OpenSloDataSources) {
  const metric = metricSchema(sources);
  const ratioMetric = z
    .object({ good: metric.optional(), bad: metric.optional(), total: metric.optional(), raw: metric.optional(), rawType: z.enum(['success', 'failure'], { error: 'must be success or failure' }).optional() })
    .transform((r, ctx): SliDefinition => {
      const fail = (path: string, message: string) => {
        ctx.addIssue({ code: 'custom', path: [path], message });
        return z.NEVER;
      };
      if (r.raw !== undefined) {
        if (r.good !== undefined || r.bad !== undefined || r.total !== undefined) return fail('raw', 'cannot be used with good, bad or total');
        if (r.rawType === undefined) return fail('rawType', 'is required with raw: success or failure');
        return { kind: 'error-ratio', errorRatioQuery: r.rawType === 'failure' ? r.raw : `1 - (${r.raw.trim()})` };
      }
      if (r.good !== undefined && r.bad !== undefined) return fail('bad', 'cannot be used with good; give one of them');
      if (r.total === undefined) return fail('total', 'is required with good or bad (or give raw and rawType)');
      if (r.good !== undefined) return { kind: 'good-events', goodQuery: r.good, totalQuery: r.total };
      if (r.bad !== undefined) return { kind: 'events', errorQuery: r.bad, totalQuery: r.total };
      return fail('good', 'is required with total (or give bad)');
    });
  return z.object(
    {
      spec: z
        .object({ ratioMetric: ratioMetric.optional(), thresholdMetric: z.unknown().optional() })
        .transform((spec, ctx): SliDefinition => {
          if (spec.ratioMetric !== undefined) return spec.ratioMetric;
          ctx.addIssue({ code: 'custom', path: [spec.thresholdMetric === undefined ? 'ratioMetric' : 'thresholdMetric'], message: 'only a ratioMetric indicator is measured here (good or bad over total, or raw)' });
          return z.NEVER;
        }),
    },
    { error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required: write the indicator inline (indicatorRef is not read here)' : undefined) },
  );
}

const timeWindow = z
  .object({ duration: windowField, isRolling: z.boolean().optional(), calendar: z.unknown().optional() })
  .transform((w, ctx): SloWindow => {
    if (w.calendar !== undefined || w.isRolling === false) {
      ctx.addIssue({ code: 'custom', message: 'only rolling windows are measured here; write isRolling: true and no calendar' });
      return z.NEVER;
    }
    return w.duration;
  });

const objective = z
  .object({ displayName: optionalTextField, target: targetFractionField.optional(), targetPercent: targetPercentField.optional() })
  .transform((o, ctx) => {
    const target = o.target ?? o.targetPercent;
    if (target === undefined || (o.target !== undefined && o.targetPercent !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'must give one of target (like 0.999) or targetPercent (like 99.9)' });
      return z.NEVER;
    }
    return { displayName: o.displayName, target };
  });

function sloSchema(sources: OpenSloDataSources) {
  return z.object({
    metadata: z.object({ name: sloNameField, displayName: optionalTextField, labels: z.record(z.string(), z.unknown()).optional() }),
    spec: z.object({
      description: optionalTextField,
      service: serviceField,
      indicator: indicatorSchema(sources),
      timeWindow: z.array(timeWindow).length(1, 'must hold exactly one window').optional(),
      objectives: z.array(objective).min(1),
    }),
  });
}

const Header = z.object({
  apiVersion: z.literal(OPENSLO_VERSION, { error: `must be ${OPENSLO_VERSION}, the OpenSLO version read here` }),
  kind: z.enum(KINDS, { error: `must be an OpenSLO kind: ${KINDS.join(', ')}` }),
});

/** OpenSLO labels may be a string or a list of strings; the first owner (or team) is the owner. */
function ownerIn(labels: Record<string, unknown> | undefined): string | undefined {
  for (const key of ['owner', 'team']) {
    const value = labels?.[key];
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string' && first.trim() !== '') return first.trim();
  }
  return undefined;
}

/** Reads one openslo/v1 document: SLOs for `kind: SLO`, none for the other kinds. */
export function readOpenSloDocument(document: unknown, sources: OpenSloDataSources): DocumentResult {
  const header = parseDocument(Header, document);
  if (!header.ok) return header;
  if (header.value.kind !== 'SLO') return { ok: true, slos: [] };
  const parsed = parseDocument(sloSchema(sources), document);
  if (!parsed.ok) return parsed;
  const { metadata, spec } = parsed.value;
  const several = spec.objectives.length > 1;
  const description = spec.description ?? metadata.displayName;
  return {
    ok: true,
    slos: spec.objectives.map((o, i) => ({
      service: spec.service,
      name: several ? `${metadata.name}-${i + 1}` : metadata.name,
      description: several && o.displayName ? [o.displayName, description].filter(Boolean).join(': ') : description,
      target: o.target,
      window: spec.timeWindow?.[0] ?? DEFAULT_WINDOW,
      owner: ownerIn(metadata.labels),
      sli: spec.indicator.spec,
      namePath: 'metadata.name',
    })),
  };
}
