import { performance } from 'node:perf_hooks';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { isDomainError } from '../domain/errors.js';
import type { SlackRequestKind } from './names.js';
import { slackAckDuration, slackRequests } from './registry.js';

/** When each HTTP request reached our handler (performance.now()), until Bolt hands it on with the request. */
const arrivals = new WeakMap<object, number>();
/** Bodies of requests whose listeners failed (not refused): Bolt's error handler swallows the error before the receiver sees it. */
const failures = new WeakSet<object>();

/** HTTP mode: marks a Slack request's arrival, for its acknowledgement time. */
export function noteArrival(req: object): void {
  arrivals.set(req, performance.now());
}

/** HTTPReceiver's `customPropertiesExtractor`: carries the arrival into the request's event. */
export function arrivalProperties(req: object): { receivedAtMs?: number } {
  const at = arrivals.get(req);
  return at === undefined ? {} : { receivedAtMs: at };
}

type Body = Record<string, unknown>;

/** How Bolt tells requests apart (its getTypeAndConversation), folded into the kinds of SLACK_REQUEST_KINDS. */
export function slackRequestKind(body: Body): SlackRequestKind {
  if (typeof body.command === 'string') return 'command';
  if (body.event !== undefined) return 'event';
  switch (body.type) {
    case 'block_actions':
    case 'interactive_message':
      return 'action';
    case 'view_submission':
    case 'view_closed':
      return 'view';
    case 'shortcut':
    case 'message_action':
      return 'shortcut';
    case 'block_suggestion':
    case 'dialog_suggestion':
      return 'options';
    default:
      return 'other';
  }
}

/**
 * The first global middleware: a listener that threw anything but a refusal
 * for the person (a DomainError, which is the request answered) marks its
 * request as failed, then the error goes on to the one error handler.
 */
export const noteListenerFailures: Middleware<AnyMiddlewareArgs> = async ({ body, next }) => {
  try {
    await next();
  } catch (error) {
    const refusal = isDomainError(error) || (error instanceof Error && 'originals' in error && Array.isArray(error.originals) && error.originals.every(isDomainError));
    if (!refusal) failures.add(body);
    throw error;
  }
};

/** One Slack request, from its arrival to the end of its listeners: its acknowledgement time, then its outcome. */
export class SlackRequestMeter {
  private readonly kind: SlackRequestKind;
  private readonly since: number;
  private broken = false;

  constructor(
    private readonly body: Body,
    customProperties: Record<string, unknown> | undefined,
  ) {
    this.kind = slackRequestKind(body);
    const at = customProperties?.receivedAtMs;
    // Socket Mode hands the event over as the socket's message arrives: now is its arrival.
    this.since = typeof at === 'number' ? at : performance.now();
  }

  /** The acknowledgement has been sent (written to the HTTP response, or to the socket). */
  acknowledged(): void {
    slackAckDuration.observe({ kind: this.kind }, (performance.now() - this.since) / 1000);
  }

  /** Bolt itself failed on the request. */
  failed(): void {
    this.broken = true;
  }

  /** Every listener is done: counted once, with its outcome. */
  finished(): void {
    const outcome = this.broken || failures.has(this.body) ? 'error' : 'ok';
    slackRequests.inc({ kind: this.kind, outcome });
  }
}
