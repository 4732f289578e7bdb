import { randomUUID } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import type { Registry } from 'prom-client';
import { registry } from './registry.js';

/** A registry's metrics as prom-client hands them between processes (getMetricsAsJSON), to be summed with others. */
export type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

interface Request {
  readonly ask: number;
}

interface Answer {
  readonly id: number;
  readonly metrics: MetricsJson | undefined;
}

/**
 * A channel name of its own for one bot and its outbox thread. A
 * BroadcastChannel reaches every thread of the process by name, with no
 * port to hand over when the thread starts and nothing added to the
 * thread's own kick/stop messages; the name keeps two bots in one process
 * (tests) from answering each other.
 */
export function metricsChannelName(): string {
  return `incident-bot-metrics-${randomUUID()}`;
}

/**
 * In the outbox thread: answers each request on the channel with this
 * thread's counters and histograms. The channel never keeps the thread alive.
 */
export function answerMetricsRequests(channelName: string): BroadcastChannel {
  const channel = new BroadcastChannel(channelName);
  channel.onmessage = (event) => {
    const request = event.data as Request | undefined;
    if (typeof request?.ask !== 'number') return;
    const id = request.ask;
    registry.getMetricsAsJSON().then(
      (metrics) => channel.postMessage({ id, metrics } satisfies Answer),
      () => channel.postMessage({ id, metrics: undefined } satisfies Answer),
    );
  };
  channel.unref();
  return channel;
}

/**
 * In the listeners' thread: asks the outbox thread for its metrics. A thread
 * busy past `timeoutMs` (a burst of set-ups, at a lower CPU priority) or gone
 * is answered for by its last answer: its counters then stand still for a
 * scrape rather than vanish, which Prometheus would read as a reset and count
 * again in full when they came back.
 */
export class ThreadMetrics {
  private readonly channel: BroadcastChannel;
  private nextId = 0;
  private last: MetricsJson = [];
  private readonly waiting = new Map<number, (metrics: MetricsJson | undefined) => void>();

  constructor(
    channelName: string,
    private readonly timeoutMs = 1_000,
  ) {
    this.channel = new BroadcastChannel(channelName);
    this.channel.onmessage = (event) => {
      const answer = event.data as Answer | undefined;
      if (typeof answer?.id !== 'number') return;
      this.waiting.get(answer.id)?.(answer.metrics);
      this.waiting.delete(answer.id);
    };
    this.channel.unref();
  }

  async read(): Promise<MetricsJson> {
    const id = ++this.nextId;
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<MetricsJson | undefined>((resolve) => {
      this.waiting.set(id, resolve);
      timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(undefined);
      }, this.timeoutMs);
    });
    this.channel.postMessage({ ask: id } satisfies Request);
    const metrics = await answered;
    clearTimeout(timer);
    if (metrics) this.last = metrics;
    return this.last;
  }

  close(): void {
    for (const resolve of this.waiting.values()) resolve(undefined);
    this.waiting.clear();
    this.channel.close();
  }
}
