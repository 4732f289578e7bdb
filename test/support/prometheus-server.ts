/**
 * A real Prometheus (Debian's `prometheus` package) for tests: on a free
 * loopback port, with its storage in a temporary folder, optionally holding
 * history backfilled with promtool before it starts, and stopped for good
 * (SIGTERM, then SIGKILL) when the test is done.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PROMETHEUS_MISSING =
  'prometheus binary not found: apt-get install prometheus (Debian package "prometheus")';

/** The two binaries on PATH, or undefined when either is missing. */
export function findPrometheusBinaries(): { prometheus: string; promtool: string } | undefined {
  const find = (name: string): string | undefined => {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (!dir) continue;
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not in this folder
      }
    }
    return undefined;
  };
  const prometheus = find('prometheus');
  const promtool = find('promtool');
  return prometheus && promtool ? { prometheus, promtool } : undefined;
}

let toldMissing = false;

/**
 * Whether the tests that need a real Prometheus can run: `describe.skipIf(!requirePrometheus())`.
 * Missing binaries skip them locally with one line naming the package; with
 * CI=true they throw instead, so the run fails rather than passing untested.
 */
export function requirePrometheus(): boolean {
  if (findPrometheusBinaries()) return true;
  if (/^(true|1)$/i.test(process.env.CI ?? '')) throw new Error(`${PROMETHEUS_MISSING}; CI=true, so this is a failure, not a skip`);
  if (!toldMissing) {
    toldMissing = true;
    process.stderr.write(`skipping the real-Prometheus tests: ${PROMETHEUS_MISSING}\n`);
  }
  return false;
}

/** A port nobody listens on now (the kernel's pick), for a binary that cannot take port 0. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port from the kernel');
  return address.port;
}

/**
 * Writes `openMetrics` to a file and turns it into TSDB blocks in `tsdbDir`.
 * Prometheus loads blocks only when it starts, so this runs before it does.
 * The hidden --max-block-duration makes a few large blocks instead of one per
 * 2 h: 35 days as 420 blocks took promtool two minutes, as one block a second.
 */
export async function backfillOpenMetrics(openMetrics: string, tsdbDir: string, promtool: string, scratchDir: string): Promise<void> {
  const file = join(scratchDir, 'backfill.om');
  await writeFile(file, openMetrics);
  await run(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', '--max-block-duration=8760h', file, tsdbDir], { timeout: 30_000 });
  await rm(file);
}

export interface PrometheusServerOptions {
  /** OpenMetrics text (ending in `# EOF`, timestamps in seconds) backfilled before the first start. */
  readonly openMetrics?: string;
  /** How long to wait for /-/ready; Prometheus 2.42 is ready in well under a second here. */
  readonly readyTimeoutMs?: number;
}

/** No scrape targets: the only data is what a test backfilled, and nothing appears behind its back. */
const CONFIG = 'global:\n  evaluation_interval: 1m\nscrape_configs: []\n';
const STOP_GRACE_MS = 5_000;
const running = new Set<ChildProcess>();
// A test process that dies without its afterAll must not leave a Prometheus behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class PrometheusServer {
  private child: ChildProcess | undefined;
  private logTail = '';
  /** Milliseconds spent backfilling and starting, for the suite's time budget. */
  readonly timings = { backfillMs: 0, startMs: 0 };

  private constructor(
    private readonly binaries: { prometheus: string; promtool: string },
    readonly folder: string,
    public port: number,
    private readonly readyTimeoutMs: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get tsdbDir(): string {
    return join(this.folder, 'data');
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  static async start(options: PrometheusServerOptions = {}): Promise<PrometheusServer> {
    const binaries = findPrometheusBinaries();
    if (!binaries) throw new Error(PROMETHEUS_MISSING);
    const folder = await mkdtemp(join(tmpdir(), 'incident-bot-prometheus-'));
    const server = new PrometheusServer(binaries, folder, 0, options.readyTimeoutMs ?? 15_000);
    try {
      await writeFile(join(folder, 'prometheus.yml'), CONFIG);
      if (options.openMetrics !== undefined) {
        const began = Date.now();
        await backfillOpenMetrics(options.openMetrics, server.tsdbDir, binaries.promtool, folder);
        server.timings.backfillMs = Date.now() - began;
      }
      // Another process may take the free port between our look and Prometheus's bind: try again on a new one.
      for (let attempt = 1; ; attempt += 1) {
        server.port = await freePort();
        try {
          await server.restart();
          return server;
        } catch (error) {
          if (attempt >= 3 || !server.logTail.includes('address already in use')) throw error;
        }
      }
    } catch (error) {
      await server.dispose();
      throw error;
    }
  }

  /** Starts Prometheus again on the same port and data, after stop(). */
  async restart(): Promise<void> {
    if (this.child) return;
    const began = Date.now();
    this.logTail = '';
    const child = spawn(this.binaries.prometheus, [
      `--config.file=${join(this.folder, 'prometheus.yml')}`,
      `--storage.tsdb.path=${this.tsdbDir}`,
      `--web.listen-address=127.0.0.1:${this.port}`,
      // Retention is measured from the newest block, not the clock; the 15 d default
      // would drop the 35-day backfill as soon as a newer block exists. Keep it all.
      '--storage.tsdb.retention.time=10y',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    running.add(child);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.logTail = (this.logTail + chunk).slice(-8_000);
    });
    const exited = new Promise<never>((_, reject) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        if (this.child === child) this.child = undefined;
        reject(new Error(`prometheus exited (${signal ?? code}) before it was ready:\n${this.logTail}`));
      });
    });
    exited.catch(() => undefined); // after readiness, an exit is stop()'s business
    try {
      await Promise.race([this.waitReady(), exited]);
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.timings.startMs = Date.now() - began;
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + this.readyTimeoutMs;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
        await response.body?.cancel();
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`prometheus was not ready within ${this.readyTimeoutMs} ms:\n${this.logTail}`);
  }

  /** Stops the process and keeps its data, so restart() brings back the same server. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await gone;
      clearTimeout(timer);
    }
    running.delete(child);
  }

  /** Stops it and removes its folder: data, config and all. */
  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.folder, { recursive: true, force: true });
  }

  /** The last few kilobytes Prometheus logged, for a failing test's message. */
  get log(): string {
    return this.logTail;
  }
}
