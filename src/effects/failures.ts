import { ErrorCode } from '@slack/web-api';
import { slackErrorCode } from '../slack/gateway.js';
import { tokenRefusal } from '../slack/token-refusal.js';

/** Slack error codes that say "try again later" rather than "this will never work". */
const TRANSIENT_SLACK_CODES = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/**
 * Whether retrying could help. Network errors, HTTP 5xx, rate limits and a
 * refused token are transient; any other Slack `ok: false` answer
 * (channel_not_found, missing_scope, ...) is permanent and retrying would only
 * repeat it.
 */
export function isTransient(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  if (code === ErrorCode.RequestError || code === ErrorCode.HTTPError || code === ErrorCode.RateLimitedError) return true;
  // A refused token (revoked, expired, the workspace's app reinstalled) is no fault of the job: it
  // works once someone sets a token Slack accepts (readiness says so meanwhile). Given up at once,
  // everything decided until then (a channel, a status post) would be lost; retried, it is late.
  if (tokenRefusal('SLACK_BOT_TOKEN', error)) return true;
  if (code === ErrorCode.PlatformError) return TRANSIENT_SLACK_CODES.has(slackErrorCode(error) ?? '');
  if ((error as { transient?: boolean })?.transient === true) return true;
  return !(error instanceof PermanentFailure);
}

/** A failure a handler knows retrying cannot fix. */
export class PermanentFailure extends Error {
  override name = 'PermanentFailure';
}

/** What to tell a person about a failure: Slack's own code when there is one. */
export function describeFailure(error: unknown): string {
  const slack = slackErrorCode(error);
  if (slack) return `Slack answered \`${slack}\``;
  return error instanceof Error ? error.message : String(error);
}

/** Seconds Slack asked us to wait (HTTP 429 Retry-After), if this was a rate limit. */
export function retryAfterMs(error: unknown): number | undefined {
  const e = error as { code?: string; retryAfter?: number };
  return e?.code === ErrorCode.RateLimitedError && typeof e.retryAfter === 'number' ? e.retryAfter * 1000 : undefined;
}

/** Not yet, but soon: retried after `delayMs` rather than the usual backoff. */
export class RetrySoon extends Error {
  override name = 'RetrySoon';
  readonly transient = true;
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}
