/** A value read from a file, or what was wrong with it (said so a person can fix it). */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const PERCENTAGE = /^(\d+(?:\.\d+)?)\s*%?$/;

/**
 * Reads a percentage as written in an SLO or policy file: `99.9%`, `"99.9"` or
 * the YAML number `99.9` all mean 99.9 %, returned as the fraction 0.999.
 * Anything else (`99,9%`, `high`, `-1`) is refused by quoting it back.
 *
 * The fraction is made from the decimal digits (`99.9e-2`), not by dividing a
 * float by 100, so 99.9 gives exactly the double nearest 0.999 that a person
 * writing 0.999 would get.
 */
export function parsePercentage(input: unknown): Parsed<number> {
  const written = typeof input === 'number' && Number.isFinite(input) ? String(input) : typeof input === 'string' ? input.trim() : undefined;
  if (written === undefined) return { ok: false, message: 'must be a percentage, like 99.9%' };
  const match = PERCENTAGE.exec(written);
  if (!match?.[1] || /e/i.test(written)) return { ok: false, message: `${JSON.stringify(written)} is not a percentage (write it like 99.9%)` };
  const value = Number(`${match[1]}e-2`);
  if (value > 1) return { ok: false, message: `${written} is over 100%` };
  return { ok: true, value };
}

/** The number as written without a percent sign (`0.25`, `"0.25"`); undefined when written with one. */
function bareNumber(input: unknown): number | undefined {
  if (typeof input === 'number') return input;
  return typeof input === 'string' && !input.includes('%') ? Number(input.trim()) : undefined;
}

/**
 * A policy threshold of budget remaining, 0 % to 100 %. A bare fraction
 * between 0 and 1 (`budget_remaining: 0.25`) is refused: it would read as
 * 0.25 %, a threshold that fires only once the budget is all but gone, when
 * the person meant 25 %. `0.25%` written so is taken as meant.
 */
export function parseThresholdPercentage(input: unknown): Parsed<number> {
  const parsed = parsePercentage(input);
  if (!parsed.ok) return parsed;
  const bare = bareNumber(input);
  if (bare !== undefined && bare > 0 && bare < 1) {
    return { ok: false, message: `${bare} reads as ${bare}%; write ${Number((bare * 100).toPrecision(12))}% for a fraction of ${bare}, or ${bare}% if that is meant` };
  }
  return parsed;
}

/**
 * A target as a percentage: above 0 and below 100 (100 % leaves no budget at
 * all, and every budget sum would divide by zero). A bare number of 1 or less
 * is refused too, quoted or not: `target: 0.999` in a file of percentages
 * reads as 0.999 %, which nobody means.
 */
export function parseTargetPercentage(input: unknown): Parsed<number> {
  const parsed = parsePercentage(input);
  if (!parsed.ok) return parsed;
  // A quoted `"0.999"` is a YAML string, but no more meant as 0.999 % than the number is.
  const bare = bareNumber(input);
  if (bare !== undefined && bare <= 1 && bare > 0) {
    return { ok: false, message: `${bare} reads as ${bare}%; targets here are percentages, so write ${Number((bare * 100).toPrecision(12))}% for a fraction of ${bare}` };
  }
  return checkTarget(parsed.value, String(input).trim());
}

/** A target given as a fraction (OpenSLO's `target: 0.999`): above 0, below 1. */
export function parseTargetFraction(input: unknown): Parsed<number> {
  if (typeof input !== 'number' || !Number.isFinite(input)) return { ok: false, message: 'must be a fraction like 0.999' };
  // 1 is 100 %: pointing at targetPercent: 1 would suggest a 1 % target.
  if (input === 1) return { ok: false, message: '1 is not a fraction below 1: it leaves no error budget; use a target below 1, like 0.999' };
  if (input > 1 && input < 100) return { ok: false, message: `${input} is not a fraction below 1; write 0.999 for 99.9% (or targetPercent: ${input})` };
  return checkTarget(input, String(input));
}

function checkTarget(value: number, written: string): Parsed<number> {
  if (value >= 1) return { ok: false, message: `${written} leaves no error budget; use a target below 100%, like 99.9%` };
  if (value <= 0) return { ok: false, message: `${written} must be above 0%, like 99.9%` };
  return { ok: true, value };
}
