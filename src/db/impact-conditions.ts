import { and, gt, gte, isNull, or, type Column, type SQL } from 'drizzle-orm';

/** The incident columns the impact window is read from, in either dialect's schema. */
interface ImpactColumns {
  readonly declaredAt: Column;
  readonly resolvedAt: Column;
  readonly impactStartedAt: Column;
  readonly impactEndedAt: Column;
}

/** The start of impact in force (the declaration's time when none was set) is later than `at`. */
export const startsAfter = (t: ImpactColumns, at: Date): SQL =>
  or(gt(t.impactStartedAt, at), and(isNull(t.impactStartedAt), gt(t.declaredAt, at)))!;

/**
 * The incident's impact window (slo/measure.ts impactWindow) ends at or after
 * `since`: its recorded end (impact end, else resolve) is unknown (it goes
 * on) or not before `since`, or its start is not before `since` (a window
 * never ends before it starts). What the SLO figures of a window add up.
 */
export const impactReaches = (t: ImpactColumns, since: Date): SQL =>
  or(
    and(isNull(t.impactEndedAt), isNull(t.resolvedAt)),
    gte(t.impactEndedAt, since),
    and(isNull(t.impactEndedAt), gte(t.resolvedAt, since)),
    gte(t.impactStartedAt, since),
    and(isNull(t.impactStartedAt), gte(t.declaredAt, since)),
  )!;
