import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, verifySlackRequest, type BufferedIncomingMessage } from '@slack/bolt';
import type { Logger } from 'pino';
import { noteArrival } from '../metrics/slack-requests.js';
import type { RouteHandler } from './server.js';
import { checkSlackEnvelope } from './slack-envelope.js';

/** Slack's rule: a request's timestamp is within five minutes of now, either way. */
export const SLACK_TIMESTAMP_WINDOW_SECONDS = 5 * 60;

export interface SlackEventsRouteOptions {
  readonly signingSecret: string;
  /** Bolt's HTTPReceiver listener: it verifies the signature again, parses and dispatches. */
  readonly bolt: (req: IncomingMessage, res: ServerResponse) => void;
  readonly logger: Logger;
  /**
   * Real time in ms. Slack stamps requests with its own clock, so this is the
   * wall clock even when the domain runs on a simulated one (as Bolt's check is).
   */
  readonly now?: () => number;
}

function refuse(res: ServerResponse, status: number, body?: Record<string, unknown>): void {
  if (body) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  } else {
    res.writeHead(status);
    res.end();
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** `ssl_check=1`: Slack's unsigned certificate probe. Bolt answers it and reads nothing else from the body. */
function isSslCheck(req: IncomingMessage, body: Buffer): boolean {
  return req.headers['content-type'] === 'application/x-www-form-urlencoded' && new URLSearchParams(body.toString('utf8')).get('ssl_check') === '1';
}

/**
 * Why a request is not Slack's, or undefined if it is: the timestamp window
 * (Bolt only refuses old timestamps; a signed request stamped in the future
 * could be replayed for as long as that future lasts), then the signature.
 */
function notFromSlack(req: IncomingMessage, body: Buffer, secret: string, nowMs: number): string | undefined {
  const signature = header(req, 'x-slack-signature');
  const stamp = header(req, 'x-slack-request-timestamp');
  if (!signature || !stamp) return 'no signature or timestamp';
  const timestamp = Number(stamp);
  if (!Number.isInteger(timestamp)) return 'the timestamp is not a number of seconds';
  const skew = timestamp - Math.floor(nowMs / 1000);
  if (Math.abs(skew) > SLACK_TIMESTAMP_WINDOW_SECONDS) return `the timestamp is ${Math.abs(skew)} s in the ${skew > 0 ? 'future' : 'past'}`;
  try {
    verifySlackRequest({
      signingSecret: secret,
      body: body.toString(),
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: nowMs,
    });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : 'bad signature';
  }
}

/**
 * `POST /slack/events` in HTTP mode. The body arrives already bounded (see
 * the route's limit); then the request must be Slack's (401), and its body a
 * shape Bolt and the listeners can read (400, or 200 for the Events API),
 * before Bolt gets it, with the bytes already read handed over as `rawBody`
 * (Bolt reads no stream when that is set).
 */
export function slackEventsHandler(options: SlackEventsRouteOptions): RouteHandler {
  const now = options.now ?? Date.now;
  const logger = options.logger.child({ component: 'slack-http' });
  return (req, res, body) => {
    noteArrival(req);
    const buffered = Object.assign(req, { rawBody: body }) satisfies BufferedIncomingMessage;
    if (isSslCheck(req, body)) return options.bolt(buffered, res);
    const why = notFromSlack(req, body, options.signingSecret, now());
    if (why) {
      logger.warn({ reason: why }, 'refused a request not signed by Slack');
      return refuse(res, 401);
    }
    let parsed: unknown;
    try {
      parsed = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      logger.warn({ contentType: req.headers['content-type'] }, 'refused a signed request whose body is not JSON or a form');
      return refuse(res, 400, { error: 'malformed_body' });
    }
    const envelope = checkSlackEnvelope(parsed);
    if (!envelope.ok) {
      logger.warn({ kind: envelope.kind, problems: envelope.problems, answered: envelope.status }, 'refused a signed request of the wrong shape');
      return refuse(res, envelope.status, envelope.status === 200 ? { ok: false, error: 'malformed_event' } : { error: 'malformed_request', problems: envelope.problems });
    }
    options.bolt(buffered, res);
  };
}
