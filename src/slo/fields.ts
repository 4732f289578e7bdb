import { z } from 'zod';
import type { SloWindow } from './model.js';
import { parseTargetFraction, parseTargetPercentage, parseThresholdPercentage, type Parsed } from './percentage.js';
import { hasWindowPlaceholder } from './query.js';
import { parseWindow } from './window.js';

/*
 * The field schemas the three formats share, each with a message that says how
 * to write the value. Structural messages (required, not a list) come from
 * problems.ts `humanIssue`.
 */

/** A zod schema over one of the hand-written readers (percentages, windows). */
export function parsedBy<T>(parse: (input: unknown) => Parsed<T>): z.ZodType<T> {
  return z.unknown().transform((input, ctx): T => {
    const parsed = input === undefined ? ({ ok: false, message: 'is required' } as const) : parse(input);
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  });
}

/** 99.9%, "99.9" or 99.9 → 0.999. */
export const targetPercentField = parsedBy(parseTargetPercentage);
/** 0.999 → 0.999 (OpenSLO `target`). */
export const targetFractionField = parsedBy(parseTargetFraction);
/** 0% to 100%, for policy thresholds (a bare fraction like 0.25 refused). */
export const thresholdPercentageField = parsedBy(parseThresholdPercentage);
export const windowField: z.ZodType<SloWindow> = parsedBy(parseWindow);

/*
 * Service and SLO names end up in Slack messages, commands and claim keys:
 * letters, digits and - _ . only, starting with a letter or digit (which also
 * keeps out `__proto__`).
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

export const serviceField = z.string().trim().regex(NAME, 'must be a service name of letters, digits, - _ or . (like checkout-api)');
export const sloNameField = z.string().trim().regex(NAME, 'must be an SLO name of letters, digits, - _ or . (like checkout_availability)');

/** Text that must be there (an SLI's numerator in words). */
export const textField = z.string().trim().min(1);

/** Optional free text (descriptions, owners): blank counts as missing, so a stray `description:` is no error. */
export const optionalTextField = z.preprocess(
  (v) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v),
  z.string().trim().optional(),
);

/** A PromQL template; the window must be a placeholder, or the SLO would always be measured over one fixed range. */
export const queryField = z
  .string()
  .trim()
  .min(1)
  .refine(hasWindowPlaceholder, 'must use {{.window}} where the range goes, like rate(http_requests_total[{{.window}}])');

/**
 * An object that refuses keys it does not know, naming the known ones: in a
 * format this project defines, a typo (`windw: 7d`) must not fall back to a
 * default in silence.
 */
export function strictObject<S extends z.core.$ZodLooseShape>(shape: S, what: string) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `is not a key of ${what} (known: ${known})` : undefined),
  });
}
