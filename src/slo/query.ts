import type { SliDefinition, SloWindow } from './model.js';
import { prometheusDuration } from './window.js';

/** `{{.window}}` as Sloth writes it, with or without Go-template spaces (`{{ .window }}`). */
const WINDOW_PLACEHOLDER = /\{\{-?\s*\.window\s*-?\}\}/g;

/** Whether a query template says where the window's range goes. */
export function hasWindowPlaceholder(template: string): boolean {
  return new RegExp(WINDOW_PLACEHOLDER.source).test(template);
}

/**
 * Puts a range into every `{{.window}}` of a query template: an SLO window
 * (its text, `30d`) or a length in milliseconds (an impact window, written
 * as a Prometheus duration such as `1h30m`).
 */
export function renderQuery(template: string, window: SloWindow | number): string {
  const range = typeof window === 'number' ? prometheusDuration(window) : window.text;
  return template.replace(WINDOW_PLACEHOLDER, range);
}

/**
 * One PromQL expression whose value is the SLI's error ratio (0..1) over the
 * given range, whatever form the file wrote it in; undefined for an SLI
 * described only in words. Each part is parenthesised so an `or`/`-` inside a
 * user's query keeps its meaning. With no traffic, Prometheus answers NaN or
 * nothing: what that means is the caller's call.
 */
export function errorRatioQuery(sli: SliDefinition, window: SloWindow | number): string | undefined {
  const q = (template: string) => `(${renderQuery(template, window).trim()})`;
  switch (sli.kind) {
    case 'events':
      return `${q(sli.errorQuery)} / ${q(sli.totalQuery)}`;
    case 'good-events':
      return `1 - (${q(sli.goodQuery)} / ${q(sli.totalQuery)})`;
    case 'error-ratio':
      return q(sli.errorRatioQuery);
    case 'text':
      return undefined;
  }
}
