/**
 * A real Prometheus (Debian's `prometheus` package) for tests: on a free
 * loopback port, with its storage in a temporary folder, optionally holding
 * history backfilled with promtool before it starts, and stopped for good
 * (SIGTERM, then SIGKILL) when the test is done.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { findOnPath, freePort, requireBinary, ServerProcess, startOnFreePort } from './real-binary.js';

export { freePort };

const run = promisify(execFile);

export const PROMETHEUS_MISSING =
  'prometheus binary not found: apt-get install prometheus (Debian package "prometheus")';

/** The two binaries on PATH, or undefined when either is missing. */
export function findPrometheusBinaries(): { prometheus: string; promtool: string } | undefined {
  const prometheus = findOnPath('prometheus');
  const promtool = findOnPath('promtool');
  return prometheus && promtool ? { prometheus, promtool } : undefined;
}

/**
 * Whether the tests that need a real Prometheus can run: `describe.skipIf(!requirePrometheus())`.
 * Missing binaries skip them locally with one line naming the package; with
 * CI=true they throw instead, so the run fails rather than passing untested.
 */
export function requirePrometheus(): boolean {
  return requireBinary('real-Prometheus', PROMETHEUS_MISSING, findPrometheusBinaries() !== undefined);
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
  /** Jobs to scrape, e.g. a metrics endpoint the test serves; left out, nothing is scraped. */
  readonly scrapeTargets?: readonly ScrapeTarget[];
  /** Rule files (absolute paths) to load and evaluate. */
  readonly ruleFiles?: readonly string[];
  /** An Alertmanager's base URL (http://127.0.0.1:port) to send firing and resolved alerts to. */
  readonly alertmanagerUrl?: string;
  /** Prometheus duration ("1s"); default 1m. A test evaluating rules wants seconds. */
  readonly evaluationInterval?: string;
}

/** One scrape job: `targets` are host:port on loopback. */
export interface ScrapeTarget {
  readonly job: string;
  readonly targets: readonly string[];
  /** Prometheus duration; default 1s so a test sees samples within seconds. */
  readonly scrapeInterval?: string;
  readonly metricsPath?: string;
}

/**
 * With no options: no scrape targets, so the only data is what a test
 * backfilled and nothing appears behind its back.
 */
function prometheusConfig(options: PrometheusServerOptions): string {
  const config: Record<string, unknown> = {
    global: { evaluation_interval: options.evaluationInterval ?? '1m' },
    scrape_configs: (options.scrapeTargets ?? []).map((t) => ({
      job_name: t.job,
      scrape_interval: t.scrapeInterval ?? '1s',
      scrape_timeout: t.scrapeInterval ?? '1s',
      metrics_path: t.metricsPath ?? '/metrics',
      static_configs: [{ targets: [...t.targets] }],
    })),
  };
  if (options.ruleFiles?.length) config.rule_files = [...options.ruleFiles];
  if (options.alertmanagerUrl !== undefined) {
    const am = new URL(options.alertmanagerUrl);
    config.alerting = { alertmanagers: [{ scheme: am.protocol.replace(':', ''), static_configs: [{ targets: [am.host] }] }] };
  }
  return stringify(config);
}
const STOP_GRACE_MS = 5_000;

export class PrometheusServer {
  private child: ServerProcess | undefined;
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
    return this.child?.alive ?? false;
  }

  static async start(options: PrometheusServerOptions = {}): Promise<PrometheusServer> {
    const binaries = findPrometheusBinaries();
    if (!binaries) throw new Error(PROMETHEUS_MISSING);
    const folder = await mkdtemp(join(tmpdir(), 'incident-bot-prometheus-'));
    const server = new PrometheusServer(binaries, folder, 0, options.readyTimeoutMs ?? 15_000);
    try {
      await writeFile(join(folder, 'prometheus.yml'), prometheusConfig(options));
      if (options.openMetrics !== undefined) {
        const began = Date.now();
        await backfillOpenMetrics(options.openMetrics, server.tsdbDir, binaries.promtool, folder);
        server.timings.backfillMs = Date.now() - began;
      }
      await startOnFreePort((port) => (server.port = port), () => server.restart());
      return server;
    } catch (error) {
      await server.dispose();
      throw error;
    }
  }

  /** Starts Prometheus again on the same port and data, after stop(). */
  async restart(): Promise<void> {
    if (this.child?.alive) return;
    const began = Date.now();
    this.logTail = '';
    this.child = await ServerProcess.start({
      name: 'prometheus',
      binary: this.binaries.prometheus,
      args: [
        `--config.file=${join(this.folder, 'prometheus.yml')}`,
        `--storage.tsdb.path=${this.tsdbDir}`,
        `--web.listen-address=127.0.0.1:${this.port}`,
        // Retention is measured from the newest block, not the clock; the 15 d default
        // would drop the 35-day backfill as soon as a newer block exists. Keep it all.
        '--storage.tsdb.retention.time=10y',
      ],
      readyUrl: `${this.url}/-/ready`,
      readyTimeoutMs: this.readyTimeoutMs,
      onLog: (chunk) => {
        this.logTail = (this.logTail + chunk).slice(-8_000);
      },
    });
    this.timings.startMs = Date.now() - began;
  }

  /** Stops the process and keeps its data, so restart() brings back the same server. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    await child?.stop(STOP_GRACE_MS);
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
