import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { slackApiCalls } from '../../../src/metrics/registry.js';
import { answerMetricsRequests, metricsChannelName, ThreadMetrics } from '../../../src/metrics/thread-metrics.js';

const CALLS = 'incident_bot_slack_api_calls_total';
const okPosts = (metrics: Awaited<ReturnType<ThreadMetrics['read']>>) =>
  metrics.find((m) => m.name === CALLS)?.values.find((v) => v.labels.method === 'chat.postMessage' && v.labels.outcome === 'ok')?.value;

/** A real second thread answering on a channel, counting what it is told to: the outbox thread in miniature. */
function answeringThread(channel: string): Worker {
  const registry = new URL('../../../src/metrics/registry.ts', import.meta.url).href;
  const answering = new URL('../../../src/metrics/thread-metrics.ts', import.meta.url).href;
  // One tsx registration, so that both imports share one registry module, as the bundled outbox thread does.
  const source = `
    const { workerData, parentPort } = require('node:worker_threads');
    import('tsx/esm/api').then(async ({ register }) => {
      register();
      const { slackApiCalls } = await import(${JSON.stringify(registry)});
      const { answerMetricsRequests } = await import(${JSON.stringify(answering)});
      answerMetricsRequests(workerData);
      slackApiCalls.inc({ method: 'chat.postMessage', outcome: 'ok' }, 7);
      // The channel keeps no thread alive; the outbox thread lives on its kick and stop messages, this one on these.
      parentPort.on('message', () => undefined);
      parentPort.postMessage('ready');
    });`;
  return new Worker(source, { eval: true, workerData: channel });
}

describe('the outbox thread metrics channel', () => {
  it("reads another thread's registry, not this one's", async () => {
    const name = metricsChannelName();
    const worker = answeringThread(name);
    await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    const reader = new ThreadMetrics(name, 5_000);
    try {
      slackApiCalls.inc({ method: 'chat.postMessage', outcome: 'ok' }, 2);
      expect(okPosts(await reader.read())).toBe(7);
    } finally {
      reader.close();
      await worker.terminate();
    }
  });

  it('stands on the last answer when the thread does not answer in time, and on nothing before any', async () => {
    const name = metricsChannelName();
    const reader = new ThreadMetrics(name, 50);
    expect(await reader.read()).toEqual([]);
    const answering = answerMetricsRequests(name);
    const first = await reader.read();
    expect(first.some((m) => m.name === CALLS)).toBe(true);
    answering.close();
    // Gone: the same figures again, after the timeout, rather than none (a counter reset to Prometheus).
    expect(await reader.read()).toEqual(first);
    reader.close();
  });

  it('is not answered by the thread of another bot', async () => {
    const other = answerMetricsRequests(metricsChannelName());
    const reader = new ThreadMetrics(metricsChannelName(), 50);
    expect(await reader.read()).toEqual([]);
    other.close();
    reader.close();
  });
});
