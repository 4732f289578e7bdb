import { percentChange } from '../../domain/stats.js';
import { percentText } from './slo-lines.js';

/*
 * How a reliability figure reads beside the one before it, in one place so
 * `/incident stats` and the weekly digest say it the same way:
 * `73 min (was 83 min, −12 %)`.
 */

/** `42 min`, `95 min`, `2 h 05 min`, `3 d 4 h`: minutes up to two hours, as reliability reviews quote MTTR. */
export function minutesText(minutes: number): string {
  if (minutes < 120) return `${minutes} min`;
  if (minutes < 48 * 60) {
    const rest = minutes % 60;
    return `${Math.floor(minutes / 60)} h${rest ? ` ${String(rest).padStart(2, '0')} min` : ''}`;
  }
  const hours = Math.floor((minutes % 1440) / 60);
  return `${Math.floor(minutes / 1440)} d${hours ? ` ${hours} h` : ''}`;
}

export const countText = (n: number): string => String(n);
/** A share of an error budget: `62.3 %`. */
export const budgetText = (fraction: number): string => percentText(fraction);

/** `+33 %`, `−35 %` (a true minus sign), `0 %`. */
export function changeText(percent: number): string {
  if (percent > 0) return `+${percent} %`;
  if (percent < 0) return `−${-percent} %`;
  return '0 %';
}

/**
 * A figure with the same figure of the period before and the change between
 * them. An unknown figure says so rather than show a number; with nothing
 * before to compare with (unknown, or 0) there is no percentage.
 */
export function compared(current: number | null, previous: number | null, format: (n: number) => string): string {
  const was = previous === null ? 'was unknown' : `was ${format(previous)}`;
  if (current === null) return `unknown (${was})`;
  const change = percentChange(current, previous);
  return `${format(current)} (${was}${change === undefined ? '' : `, ${changeText(change)}`})`;
}

/** `1 incident`, `3 incidents`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Beside a budget figure some of whose incidents' uses are estimates. */
export const PARTLY_ESTIMATED = ' _(partly estimated)_';

/** Beside a budget figure that is a floor: an incident's impact began before what Prometheus keeps. */
export const AT_LEAST = ' _(at least: an impact began before what Prometheus keeps)_';
