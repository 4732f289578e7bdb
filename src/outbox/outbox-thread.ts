/**
 * The outbox worker in a thread of its own. Slack calls cost about a
 * millisecond of CPU each in the Web API client; run beside the listeners,
 * fifty declarations' set-ups would delay the next acknowledgements. Here
 * they use the second core, with their own database connection (WAL lets both
 * threads work at once; claims keep them from doing a job twice), at a lower
 * CPU priority than the listeners.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config.js';
import { checkpointPassive } from '../db/client.js';
import { openStore } from '../db/open-store.js';
import { systemClock } from '../domain/ports.js';
import { pino } from 'pino';
import { createLogger } from '../logger.js';
import { createGateway } from '../slack/web-client.js';
import { createOutboxWorker } from '../effects/outbox-setup.js';
import { BACKGROUND_NICENESS, lowerThisThreadPriority } from '../effects/thread-priority.js';
import type { OutboxWorkerOptions } from '../effects/outbox-worker.js';
import type { PagerDutyClientOptions } from '../pagerduty/client.js';
import { meterIncidentRecords } from '../metrics/incident-records.js';
import { answerMetricsRequests } from '../metrics/thread-metrics.js';

export interface OutboxThreadData {
  readonly config: Config;
  readonly botUserId: string;
  readonly slackTimeoutMs: number;
  readonly options: Partial<OutboxWorkerOptions>;
  readonly pagerduty: PagerDutyClientOptions;
  /** How often to checkpoint the WAL whatever this thread's own commits (the listeners' connection leaves it to us). */
  readonly checkpointEveryMs: number;
  /** Where the listeners' thread asks for this thread's metrics at each scrape (src/metrics/thread-metrics.ts). */
  readonly metricsChannel?: string;
}

const data = workerData as OutboxThreadData;
// Straight to file descriptor 1: a worker's process.stdout is relayed through the listeners'
// thread, so every line the outbox logs would cost the acknowledgements' event loop.
const logger = createLogger(data.config.log.level, pino.destination({ fd: 1, sync: true })).child({ thread: 'outbox' });
// Below the listeners, so a burst's acknowledgements win the CPU (thread-priority.ts).
if (!lowerThisThreadPriority(BACKGROUND_NICENESS)) logger.debug("outbox thread runs at the listeners' priority (no per-thread priority here)");
// Alerts declare and resolve here: counted like the listeners' declarations.
const database = openStore(data.config.database.url, [meterIncidentRecords], {
  poolSize: data.config.database.poolSize,
  onIdleError: (error) => logger.warn({ err: error }, 'a PostgreSQL connection failed while idle; the pool opens another'),
});
const { store } = database;
if (data.metricsChannel) answerMetricsRequests(data.metricsChannel);
const worker = createOutboxWorker({
  config: data.config,
  store,
  slack: createGateway(data.config, logger, data.slackTimeoutMs),
  logger,
  clock: systemClock,
  botUserId: () => data.botUserId,
  options: data.options,
  pagerduty: data.pagerduty,
});
worker.start();
// Our own commits checkpoint as SQLite's default has it; this catches the WAL
// that only the listeners wrote to while we had nothing to do.
const checkpoints = setInterval(() => {
  if (!database.sqlite) return;
  try {
    checkpointPassive(database.sqlite);
  } catch (error) {
    logger.warn({ err: error }, 'WAL checkpoint failed; the next one will try again');
  }
}, data.checkpointEveryMs);
checkpoints.unref();
parentPort!.postMessage('ready');

parentPort!.on('message', (message: 'kick' | 'stop') => {
  if (message === 'kick') worker.kick();
  if (message === 'stop') {
    clearInterval(checkpoints);
    // Answered by a message, not awaited: the listeners' thread waits for 'stopped' (or the thread's exit).
    void worker
      .stop()
      .then(() => database.close())
      .then(() => parentPort!.postMessage('stopped'))
      .catch((error: unknown) => logger.error({ err: error }, 'outbox thread could not stop cleanly'));
  }
});
