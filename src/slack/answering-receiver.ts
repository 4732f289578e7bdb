import { randomUUID } from 'node:crypto';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from 'pino';
import { SlackRequestMeter } from '../metrics/slack-requests.js';

/**
 * Wraps Bolt's receiver so that every request handed to the app is answered
 * once the app is done with it, and so that a stop can wait for the requests
 * still being processed.
 *
 * Bolt leaves a request unanswered when no listener acknowledged it (a
 * listener that threw before its ack: the error handler tells the person, but
 * the HTTP request waits 3 s for Bolt's 404), and answers 500 when Bolt itself
 * throws on a body it could not read. Here either ends in an acknowledgement
 * at once: an empty one, or for a command an apology with a reference to the
 * logged error.
 */
export class AnsweringReceiver implements Receiver {
  private readonly processing = new Set<Promise<void>>();
  /** Requests handed to the app and not yet acknowledged: each resolves at its acknowledgement (or its end). */
  private readonly unanswered = new Set<Promise<void>>();
  private draining = false;

  constructor(
    private readonly inner: Receiver,
    private readonly logger: Logger,
  ) {}

  init(app: App): void {
    // The receiver calls `app.processEvent`; everything else it may use stays the app's own.
    const answering: App = Object.create(app);
    answering.processEvent = (event: ReceiverEvent) => this.process(app, event);
    this.inner.init(answering);
  }

  start(...args: unknown[]): Promise<unknown> {
    return this.inner.start(...args);
  }

  stop(...args: unknown[]): Promise<unknown> {
    return this.inner.stop(...args);
  }

  /** Requests handed to the app whose listeners have not finished. */
  inFlight(): number {
    return this.processing.size;
  }

  /** Resolves true once every request handed to the app has been processed, false after `timeoutMs` if some still run. */
  settled(timeoutMs: number): Promise<boolean> {
    return emptied(this.processing, timeoutMs);
  }

  /**
   * A stop begins (Socket Mode): requests that arrive from now on are left
   * unanswered and untouched (Slack sends an event again, to another
   * replica or after the restart; a command's sender sees it fail and types
   * it again, nothing of it recorded), while those already handed to the app
   * go on to their acknowledgement. Resolves true once each of those is
   * acknowledged, false after `timeoutMs`: the socket can then close without
   * cutting off an answer to something already recorded.
   */
  drain(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    return emptied(this.unanswered, timeoutMs);
  }

  private process(app: App, event: ReceiverEvent): Promise<void> {
    if (this.draining) {
      this.logger.info({ kind: kindOf(event.body) }, 'stopping: a request arriving now is left for Slack to send again');
      return Promise.resolve();
    }
    const meter = new SlackRequestMeter(event.body, event.customProperties);
    let acknowledged = false;
    let answered!: () => void;
    const sent = new Promise<void>((resolve) => (answered = resolve));
    this.unanswered.add(sent);
    void sent.then(() => this.unanswered.delete(sent));
    const ack: ReceiverEvent['ack'] = async (response) => {
      acknowledged = true;
      try {
        await event.ack(response);
      } finally {
        answered();
      }
      meter.acknowledged();
    };
    const run = (async () => {
      try {
        await app.processEvent({ ...event, ack });
        if (!acknowledged) {
          this.logger.warn({ kind: kindOf(event.body) }, 'no listener acknowledged a request: answered it empty');
          await ack();
        }
      } catch (error) {
        meter.failed();
        const ref = randomUUID().slice(0, 8);
        this.logger.error({ err: error, ref, kind: kindOf(event.body) }, 'Bolt could not process a request');
        if (!acknowledged) await ack(kindOf(event.body) === 'command' ? apology(ref) : undefined).catch(() => undefined);
      }
    })();
    this.processing.add(run);
    void run.finally(() => {
      meter.finished();
      this.processing.delete(run);
      answered();
    });
    return run;
  }
}

/** Resolves true once `pending` is empty (promises leave it as they settle), false after `timeoutMs`. */
async function emptied(pending: ReadonlySet<Promise<void>>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pending.size > 0) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...pending]), new Promise((r) => (timer = setTimeout(r, left)))]);
    clearTimeout(timer);
  }
  return true;
}

function kindOf(body: ReceiverEvent['body']): string {
  if (typeof body.command === 'string') return 'command';
  if (body.event !== undefined) return 'event';
  return typeof body.type === 'string' ? body.type : 'unknown';
}

function apology(ref: string): { response_type: 'ephemeral'; text: string } {
  return {
    response_type: 'ephemeral',
    text: `:x: Sorry, that did not work (reference \`${ref}\`). Nothing was changed; give the reference to whoever runs the bot if it keeps failing.`,
  };
}
