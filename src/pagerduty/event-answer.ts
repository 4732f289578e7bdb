import type { PagerDutyAnswer } from './client.js';

/** What an Events API v2 answer means for the event: taken, never to be taken as sent, or worth sending again. */
export type EventVerdict =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** 4xx answers that say "not now" rather than "not this": a rate limit, and a request the server gave up waiting for. */
const TRY_AGAIN = new Set([408, 429]);

/** What to tell the channel beyond PagerDuty's own words, for the refusals one can do something about. */
const ADVICE: Readonly<Record<number, string>> = {
  401: 'the request was refused before the event was read: check PAGERDUTY_EVENTS_URL (a proxy that wants credentials?) and the routing key',
  403: 'the request was refused before the event was read: check PAGERDUTY_EVENTS_URL (a proxy in front of PagerDuty?) and the routing key',
  404: 'PAGERDUTY_EVENTS_URL does not lead to the Events API v2 (events.pagerduty.com, or events.eu.pagerduty.com)',
  413: "the event is over PagerDuty's 512 KB limit",
};

/**
 * Judges PagerDuty's answer to one event. PagerDuty documents 202 (taken), 400 (not
 * retried) and 429 and 5xx (retry later); any other 4xx is an HTTP client error that the
 * same event would get again, so it is final too: retried, a 401 or 404 kept the page
 * "waiting for PagerDuty" for the hour before anyone was told it had gone nowhere.
 * A body that is not PagerDuty's JSON (a proxy's page) is judged by its status
 * alone, and quoted, since whoever wrote it may be named in it.
 */
export function judgeEventAnswer(answer: PagerDutyAnswer): EventVerdict {
  const { status, body } = answer;
  if (status === 202) return { kind: 'accepted' };
  const page = answer.excerpt ? ` with a page that is not PagerDuty's JSON (a proxy's?): "${answer.excerpt}"` : '';
  if (status === 400) {
    const errors = [body?.message, ...(Array.isArray(body?.errors) ? body.errors : [])].filter((e) => typeof e === 'string' && e).join('; ');
    return { kind: 'refused', reason: `PagerDuty answered 400${errors ? `: ${errors}` : page || ': invalid event'}` };
  }
  const said = typeof body?.message === 'string' && body.message ? `: ${body.message}` : page;
  if (status >= 400 && status < 500 && !TRY_AGAIN.has(status)) {
    const advice = ADVICE[status];
    return { kind: 'refused', reason: `PagerDuty answered ${status}${said}${advice ? ` (${advice})` : ''}` };
  }
  return { kind: 'unavailable', reason: `PagerDuty answered ${status}${said}` };
}
