import { daysBetween, type CalendarDay } from './due-date.js';

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
 */
export function* chunkDigest(items: Iterable<DigestItem>, day: CalendarDay, perPart = ITEMS_PER_PART): Generator<DigestChunk> {
  let current: (DigestItem & { section: DigestSection })[] = [];
  let index = 0;
  for (const item of items) {
    current.push({ ...item, section: item.dueDate < day ? 'overdue' : 'upcoming' });
    if (current.length === perPart) {
      yield { index: index++, items: current };
      current = [];
    }
  }
  if (current.length > 0) yield { index, items: current };
}

/** What a digest period lists, fixed when first computed: a resumed run posts the same. */
export interface DigestPlan {
  readonly itemIds: readonly number[];
  readonly totals: DigestTotals;
  readonly owners: readonly string[];
}
