import type { Audience } from './access.js';
import { daysBetween, type CalendarDay } from './due-date.js';
import { inPeriod, type StatsPeriod } from './stats-period.js';
import { budgetFigures, TOP } from './stats-report.js';
import { periodFigures, visibleTo, type StatsRecords } from './stats.js';

/** One open action item as the digest lists it. */
export interface DigestItem {
  readonly id: number;
  readonly incidentId: number;
  readonly number: number;
  readonly text: string;
  readonly ownerId: string;
  readonly dueDate: CalendarDay;
  readonly incidentTitle: string;
  readonly channelId: string | null;
  /** Of a private incident: named only to its owner and in its own channel. */
  readonly isPrivate: boolean;
}

export interface DigestTotals {
  readonly day: CalendarDay;
  readonly overdue: number;
  readonly owners: number;
  readonly upcoming: number;
}

/** How many days past due an item is on `day` (0 = due today, negative = not yet due). */
export function daysOverdue(item: Pick<DigestItem, 'dueDate'>, day: CalendarDay): number {
  return daysBetween(item.dueDate, day);
}

/** The window of "due in the coming week": after `day`'s overdue cut, up to and including 7 days later. */
export const UPCOMING_DAYS = 7;

/** Items per digest message: two blocks each plus owner headings stay under Slack's 50 blocks. */
export const ITEMS_PER_PART = 15;

export type DigestSection = 'overdue' | 'upcoming';

/** A slice of the digest that becomes one Slack message. */
export interface DigestChunk {
  readonly index: number;
  readonly items: readonly (DigestItem & { readonly section: DigestSection })[];
}

/**
 * Cuts an ordered stream of items (overdue first, grouped by owner; then
 * upcoming) into message-sized chunks, without holding more than one chunk.
 * A stream read from the store is async and so are its chunks; items already
 * in hand (an array) are cut synchronously.
 */
export function chunkDigest(items: AsyncIterable<DigestItem>, day: CalendarDay, perPart?: number): AsyncGenerator<DigestChunk>;
export function chunkDigest(items: Iterable<DigestItem>, day: CalendarDay, perPart?: number): Generator<DigestChunk>;
export function chunkDigest(
  items: AsyncIterable<DigestItem> | Iterable<DigestItem>,
  day: CalendarDay,
  perPart = ITEMS_PER_PART,
): AsyncGenerator<DigestChunk> | Generator<DigestChunk> {
  return Symbol.asyncIterator in items ? chunkStream(items, new Chunker(day, perPart)) : chunkInHand(items, new Chunker(day, perPart));
}

/** The cut itself, one item at a time, shared by the two ways of iterating. */
class Chunker {
  private current: (DigestItem & { section: DigestSection })[] = [];
  private index = 0;

  constructor(
    private readonly day: CalendarDay,
    private readonly perPart: number,
  ) {}

  /** Adds an item; answers the chunk it fills, if it fills one. */
  add(item: DigestItem): DigestChunk | undefined {
    this.current.push({ ...item, section: item.dueDate < this.day ? 'overdue' : 'upcoming' });
    return this.current.length === this.perPart ? this.take() : undefined;
  }

  /** The last, partly filled chunk, if any. */
  rest(): DigestChunk | undefined {
    return this.current.length > 0 ? this.take() : undefined;
  }

  private take(): DigestChunk {
    const chunk = { index: this.index++, items: this.current };
    this.current = [];
    return chunk;
  }
}

async function* chunkStream(items: AsyncIterable<DigestItem>, chunker: Chunker): AsyncGenerator<DigestChunk> {
  for await (const item of items) {
    const full = chunker.add(item);
    if (full) yield full;
  }
  const rest = chunker.rest();
  if (rest) yield rest;
}

function* chunkInHand(items: Iterable<DigestItem>, chunker: Chunker): Generator<DigestChunk> {
  for (const item of items) {
    const full = chunker.add(item);
    if (full) yield full;
  }
  const rest = chunker.rest();
  if (rest) yield rest;
}

/** The week the digest's reliability section covers, against the week before. */
export const RELIABILITY_DAYS = 7;

/**
 * The digest's reliability section: the week's incidents and MTTR beside the
 * week before's, and what they burned of each SLO's budget. Plain numbers
 * only, so it is stored in the plan as it was first computed.
 */
export interface DigestReliability {
  readonly days: number;
  readonly incidents: number;
  readonly previousIncidents: number;
  /** Mean time to resolve in whole minutes, over the incidents resolved; null: none was. */
  readonly mttr: number | null;
  readonly previousMttr: number | null;
  readonly resolved: number;
  readonly budgets: readonly { readonly service: string; readonly name: string; readonly consumed: number; readonly previous: number; readonly estimate: boolean; readonly atLeast?: boolean }[];
  /** Incidents of the week the readers may not read about: counted, not shown by service. */
  readonly hidden: number;
}

/** The section for one audience: every incident counted, budgets only of those it may read about. */
export function digestReliability(
  records: { readonly current: StatsRecords; readonly previous: StatsRecords },
  periods: { readonly current: StatsPeriod; readonly previous: StatsPeriod },
  audience: Audience,
  timeZone: string,
): DigestReliability {
  const now = periodFigures(records.current, periods.current, timeZone);
  const before = periodFigures(records.previous, periods.previous, timeZone);
  const current = visibleTo(records.current.incidents.filter((i) => inPeriod(i.declaredAt, periods.current)), audience);
  const previous = visibleTo(records.previous.incidents.filter((i) => inPeriod(i.declaredAt, periods.previous)), audience);
  return {
    days: Math.round((periods.current.to.getTime() - periods.current.from.getTime()) / 86_400_000),
    incidents: now.incidents,
    previousIncidents: before.incidents,
    mttr: now.resolve.mean,
    previousMttr: before.resolve.mean,
    resolved: now.resolve.measured,
    budgets: budgetFigures(current.visible, previous.visible)
      .slice(0, TOP)
      .map((b) => ({ service: b.service, name: b.name, consumed: b.consumed, previous: b.previous, estimate: b.estimate, ...(b.atLeast ? { atLeast: true } : {}) })),
    hidden: current.hidden,
  };
}

/** What a digest period lists, fixed when first computed: a resumed run posts the same. */
export interface DigestPlan {
  readonly itemIds: readonly number[];
  readonly totals: DigestTotals;
  readonly owners: readonly string[];
  /** Absent in plans stored before the section existed, and without the records to compute it. */
  readonly reliability?: DigestReliability;
}
