/**
 * What the SLO benchmarks run against: a real Prometheus (Debian's package,
 * test/support/prometheus-server.ts) holding 35 days of synthetic request
 * history for ten jobs, up to the minute the benchmark starts, and an SLO
 * file of ten SLOs of one service (one per job: 30-day window, events SLI),
 * so one linked incident's refresh asks about all ten.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { setPriority } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REQUESTS_METRIC, requestsOpenMetrics, type SyntheticTraffic } from '../test/support/openmetrics.js';
import { PrometheusServer } from '../test/support/prometheus-server.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const BENCH_SERVICE = 'bench-api';
export const SLO_COUNT = 10;
/** One sample a minute: a common scrape interval, and 35 days of ten jobs backfill in a few seconds. */
const STEP_SECONDS = 60;

export interface SloWorld {
  readonly prometheus: PrometheusServer;
  /** The SLO file (plain format) for SLO_FILES. */
  readonly sloFile: string;
  /** A scratch folder for databases, removed by dispose(). */
  readonly dir: string;
  /** The last sample's time: the history is [end − 35 d, end]. */
  readonly end: Date;
  dispose(): Promise<void>;
}

/** Job i: its own traffic, background error ratio and one sharp outage in the window, so no two SLOs read alike. */
function traffic(i: number, end: Date): SyntheticTraffic {
  const outageStart = new Date(end.getTime() - (3 + 2 * i) * DAY);
  return {
    job: `bench-${i}`,
    requestsPerSecond: 50 + 10 * i,
    backgroundErrorRatio: 0.0001 * (1 + (i % 4)),
    // One inside the linked incidents' impact (the two hours before `end`) for half of them.
    outages: [
      { start: outageStart, end: new Date(outageStart.getTime() + 30 * MINUTE), errorRatio: 0.02 },
      ...(i % 2 === 0 ? [{ start: new Date(end.getTime() - 100 * MINUTE), end: new Date(end.getTime() - 80 * MINUTE), errorRatio: 0.01 }] : []),
    ],
    start: new Date(end.getTime() - 35 * DAY),
    end,
    stepSeconds: STEP_SECONDS,
  };
}

/** Ten jobs' series in one counter family (promtool wants each family's lines together, and one # EOF). */
function historyOpenMetrics(end: Date): string {
  const lines = ['# HELP http_requests Requests served, by status.', '# TYPE http_requests counter'];
  for (let i = 0; i < SLO_COUNT; i++) {
    for (const line of requestsOpenMetrics(traffic(i, end)).split('\n')) if (line.startsWith(REQUESTS_METRIC)) lines.push(line);
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

function sloFileText(): string {
  const slos = Array.from({ length: SLO_COUNT }, (_, i) =>
    [
      `  - name: availability_${i}`,
      `    target: 99.9%`,
      `    window: 30d`,
      `    sli:`,
      `      error_query: sum(rate(${REQUESTS_METRIC}{job="bench-${i}",status=~"5.."}[{{.window}}]))`,
      `      total_query: sum(rate(${REQUESTS_METRIC}{job="bench-${i}"}[{{.window}}]))`,
    ].join('\n'),
  );
  return `service: ${BENCH_SERVICE}\nowner: bench-team\nslos:\n${slos.join('\n')}\n`;
}

export async function startSloWorld(): Promise<SloWorld> {
  const end = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
  const dir = mkdtempSync(join(tmpdir(), 'incident-slo-bench-'));
  const sloFile = join(dir, 'bench-api.yaml');
  writeFileSync(sloFile, sloFileText());
  let prometheus: PrometheusServer;
  try {
    prometheus = await PrometheusServer.start({ openMetrics: historyOpenMetrics(end) });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    prometheus,
    sloFile,
    dir,
    end,
    async dispose() {
      selfAgent.destroy();
      await prometheus.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/*
 * One connection kept open for /metrics, made before the bot's refreshes start:
 * Prometheus accepts 512 connections (--web.max-connections), and a bot
 * refreshing 50 incidents opens more than that, so a new connection could wait
 * for seconds behind them.
 */
const selfAgent = new Agent({ keepAlive: true, maxSockets: 1 });

function getText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: selfAgent, timeout: 30_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(text));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} in 30 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** Instant queries Prometheus has answered, from its /metrics (not a query: never queued behind the bot's). */
export async function prometheusQueriesAnswered(url: string): Promise<number> {
  const text = await getText(`${url}/metrics`);
  return text
    .split('\n')
    .filter((l) => /^prometheus_http_requests_total\{.*handler="\/api\/v1\/query"/.test(l))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/**
 * Lowers this process's own Prometheus child (the one listening on `port`) to
 * `nice`, every thread of it: Linux niceness is per thread, and Go's threads
 * started later inherit it from the ones that start them. Found through /proc,
 * as the harness keeps the process to itself; only a child of this process
 * qualifies. Returns its pid.
 */
export function reniceOwnPrometheus(port: number, nice: number): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    let stat: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
    // The fields after the command name in parentheses: state, then the parent's pid.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent !== process.pid || !cmdline.split('\0').includes(`--web.listen-address=127.0.0.1:${port}`)) continue;
    for (const tid of readdirSync(`/proc/${entry}/task`)) setPriority(Number(tid), nice);
    return Number(entry);
  }
  throw new Error(`no Prometheus child of this process listens on port ${port}`);
}

/** CPU seconds a process has used (user + system), from /proc: exact to the clock tick, and instant. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // utime and stime are the 14th and 15th fields; the 3rd is the first after the parenthesised name.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** USER_HZ: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
