import { z } from 'zod';
import { optionalTextField, queryField, serviceField, sloNameField, strictObject, targetPercentField, textField, windowField } from '../fields.js';
import type { SliDefinition } from '../model.js';
import { parseDocument } from '../problems.js';
import { DEFAULT_WINDOW } from '../window.js';
import type { DocumentResult } from './draft.js';

/*
 * The plain format (examples/slo/checkout-api.yaml): one service, its owner,
 * and its SLOs with a percentage target, a window (30d when left out) and an
 * SLI that is either queries or words. This project defines it, so unknown
 * keys are refused (a typo must not fall back to a default).
 */

const PlainSli = strictObject(
  {
    error_query: queryField.optional(),
    total_query: queryField.optional(),
    error_ratio_query: queryField.optional(),
    numerator: textField.optional(),
    denominator: textField.optional(),
  },
  'an sli',
).transform((sli, ctx): SliDefinition => {
  const problem = (path: string, message: string) => {
    ctx.addIssue({ code: 'custom', path: [path], message });
    return z.NEVER;
  };
  const hasEvents = sli.error_query !== undefined || sli.total_query !== undefined;
  const hasQuery = hasEvents || sli.error_ratio_query !== undefined;
  const hasText = sli.numerator !== undefined || sli.denominator !== undefined;
  if (hasEvents && sli.error_ratio_query !== undefined) return problem('error_ratio_query', 'give either error_query and total_query, or error_ratio_query, not both');
  if (hasQuery && hasText) {
    return problem(sli.numerator !== undefined ? 'numerator' : 'denominator', 'is only for an SLI without queries; put the explanation in the SLO description');
  }
  if (hasEvents) {
    if (sli.error_query === undefined) return problem('error_query', 'is required with total_query');
    if (sli.total_query === undefined) return problem('total_query', 'is required with error_query');
    return { kind: 'events', errorQuery: sli.error_query, totalQuery: sli.total_query };
  }
  if (sli.error_ratio_query !== undefined) return { kind: 'error-ratio', errorRatioQuery: sli.error_ratio_query };
  if (sli.numerator === undefined && sli.denominator === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must give error_query and total_query, or error_ratio_query, or numerator and denominator in words' });
    return z.NEVER;
  }
  if (sli.numerator === undefined) return problem('numerator', 'is required with denominator');
  if (sli.denominator === undefined) return problem('denominator', 'is required with numerator');
  return { kind: 'text', numerator: sli.numerator, denominator: sli.denominator };
});

const PlainSlo = strictObject(
  {
    name: sloNameField,
    description: optionalTextField,
    target: targetPercentField,
    window: windowField.optional(),
    owner: optionalTextField,
    sli: PlainSli,
  },
  'an SLO',
);

const PlainFile = strictObject(
  {
    service: serviceField,
    owner: optionalTextField,
    slos: z.array(PlainSlo).min(1),
  },
  'a plain SLO file',
);

/** Reads one plain-format document (already parsed from YAML). */
export function readPlainDocument(document: unknown): DocumentResult {
  const parsed = parseDocument(PlainFile, document);
  if (!parsed.ok) return parsed;
  const file = parsed.value;
  return {
    ok: true,
    slos: file.slos.map((slo, i) => ({
      service: file.service,
      name: slo.name,
      description: slo.description,
      target: slo.target,
      window: slo.window ?? DEFAULT_WINDOW,
      owner: slo.owner ?? file.owner,
      sli: slo.sli,
      namePath: `slos[${i}].name`,
    })),
  };
}
