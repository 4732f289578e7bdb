import type { SloWindow } from './model.js';
import type { Parsed } from './percentage.js';

const MINUTE_MS = 60_000;
const UNIT_MS = { m: MINUTE_MS, h: 60 * MINUTE_MS, d: 24 * 60 * MINUTE_MS, w: 7 * 24 * 60 * MINUTE_MS } as const;

/** The longest window read: past a year an error budget says little, and Prometheus rarely keeps that much. */
const MAX_WINDOW_MS = 366 * UNIT_MS.d;

/**
 * Reads an SLO window: a whole number and one unit, `m` minutes, `h` hours,
 * `d` days or `w` weeks (`30d`, `28d`, `4w`, `7d`, `1h`). These are the units
 * whose length never changes, and each is also a Prometheus duration, so the
 * text goes into queries as is. Months, quarters and years (OpenSLO's `M`,
 * `Q`, `Y`) vary in length and are refused with a hint to write days. At most
 * 366 days.
 */
export function parseWindow(input: unknown): Parsed<SloWindow> {
  if (typeof input !== 'string') return { ok: false, message: 'must be a window like 30d (a number and m, h, d or w)' };
  const written = input.trim();
  const match = /^(\d{1,6})([mhdw])$/.exec(written);
  if (!match?.[1] || !match[2]) {
    if (/^\d+[MQY]$/.test(written)) return { ok: false, message: `"${written}": months, quarters and years vary in length; write the window in days, like 30d` };
    return { ok: false, message: `${JSON.stringify(written)} is not a window (write a number and m, h, d or w, like 30d)` };
  }
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms === 0) return { ok: false, message: `"${written}" is an empty window; write one like 30d` };
  if (ms > MAX_WINDOW_MS) return { ok: false, message: `"${written}" is longer than a year; write at most 366d` };
  return { ok: true, value: { text: `${Number(match[1])}${match[2]}`, ms } };
}

/** The window used when a file gives none (Sloth's own default SLO period). */
export const DEFAULT_WINDOW: SloWindow = { text: '30d', ms: 30 * UNIT_MS.d };

/**
 * Any length of time as a Prometheus duration, for impact windows that are not
 * whole units (`1h30m`, `2d4h`). Rounded up to whole seconds (at least `1s`):
 * an impact of 200 ms still covers the sample that saw it.
 */
export function prometheusDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`a duration must be a finite number of milliseconds, not ${ms}`);
  let seconds = Math.max(1, Math.ceil(ms / 1000));
  let out = '';
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    const count = Math.floor(seconds / size);
    if (count > 0) out += `${count}${unit}`;
    seconds -= count * size;
  }
  return out;
}
