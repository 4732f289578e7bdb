import { performance } from 'node:perf_hooks';
import { ErrorCode, WebClient, type WebAPICallResult } from '@slack/web-api';
import { API_CALL_OUTCOMES, type ApiCallOutcome } from './names.js';
import { slackApiCallDuration, slackApiCalls } from './registry.js';

/** A Web API method's name (`chat.postMessage`, `conversations.canvases.create`); anything else is not a label. */
const METHOD_NAME = /^[a-z]+(\.[a-zA-Z0-9]+){1,3}$/;

/** Methods whose three outcomes have a series (this thread's registry). */
const methodsSeen = new Set<string>();

/**
 * A method's outcomes start at 0 at its first call, ok or not. The methods are
 * not listed anywhere to start them with the other counters (registry.ts),
 * but from its first call on, the first error or 429 of a method already has
 * a series to rise from: a series born at 1 is invisible to rate() and
 * increase(), which would miss it in the error and 429 alerts.
 */
function startAtZero(method: string): void {
  if (methodsSeen.has(method)) return;
  methodsSeen.add(method);
  for (const outcome of API_CALL_OUTCOMES) slackApiCalls.inc({ method, outcome }, 0);
}

/**
 * A Web API client that counts and times every call by method and outcome.
 * `apiCall` is the one door: each named method (`chat.postMessage(...)`) is
 * bound to it when the client is built, and `paginate` calls it for every
 * page. files.uploadV2 is a helper of the client's, not a Slack method: the
 * calls it makes (files.getUploadURLExternal, files.completeUploadExternal)
 * are counted, and the upload to the URL Slack gives is not a Web API call.
 */
export class MeteredWebClient extends WebClient {
  override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    if (method === 'files.uploadV2') return super.apiCall(method, options);
    // The names come from the bot's code; the check keeps a label bounded whatever a caller passes.
    const label = METHOD_NAME.test(method) ? method : 'other';
    startAtZero(label);
    const began = performance.now();
    let outcome: ApiCallOutcome = 'error';
    try {
      const result = await super.apiCall(method, options);
      outcome = 'ok';
      return result;
    } catch (error) {
      // With rejectRateLimitedCalls a 429 rejects with this code; without, the client waits it out and only the end is seen.
      if ((error as { code?: unknown }).code === ErrorCode.RateLimitedError) outcome = 'rate_limited';
      throw error;
    } finally {
      slackApiCalls.inc({ method: label, outcome });
      slackApiCallDuration.observe({ method: label }, (performance.now() - began) / 1000);
    }
  }
}
