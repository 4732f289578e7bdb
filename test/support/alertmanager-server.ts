/**
 * A real Alertmanager (Debian's `prometheus-alertmanager` package) for tests:
 * on a free loopback port, with no cluster gossip, its storage in a temporary
 * folder and one webhook receiver (the bot, or a WebhookSink) configured as the
 * README tells operators to. Alerts go in through its API the way Prometheus
 * sends them; what comes out is the receiver's business.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { findOnPath, requireBinary, ServerProcess, startOnFreePort } from './real-binary.js';

export const ALERTMANAGER_MISSING =
  'alertmanager binary not found: apt-get install prometheus-alertmanager (Debian package "prometheus-alertmanager")';

/** Debian names the server prometheus-alertmanager; amtool comes with it. Undefined when either is missing. */
export function findAlertmanagerBinaries(): { alertmanager: string; amtool: string } | undefined {
  const alertmanager = findOnPath('prometheus-alertmanager') ?? findOnPath('alertmanager');
  const amtool = findOnPath('amtool');
  return alertmanager && amtool ? { alertmanager, amtool } : undefined;
}

/**
 * Whether the tests that need a real Alertmanager can run: `describe.skipIf(!requireAlertmanager())`.
 * Missing, they are skipped locally with one line naming the package; with CI=true this throws.
 */
export function requireAlertmanager(): boolean {
  return requireBinary('real-Alertmanager', ALERTMANAGER_MISSING, findAlertmanagerBinaries() !== undefined);
}

/** The one route and webhook receiver every alert goes to. Durations in Alertmanager's syntax ("1s", "1h"). */
export interface WebhookReceiver {
  /** Where Alertmanager posts, e.g. `${bot.url}/alertmanager/webhook`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>` (http_config.authorization); left out, no Authorization header. */
  readonly bearerToken?: string;
  /** Default true: a resolved group is posted too, as the README configures it. */
  readonly sendResolved?: boolean;
  /** Default the example's [alertname, sloth_service, sloth_slo]. */
  readonly groupBy?: readonly string[];
  /** Defaults 1s, 1s and 1h: a first notification within about a second, no repeat during a test. */
  readonly groupWait?: string;
  readonly groupInterval?: string;
  readonly repeatInterval?: string;
  /** Alerts per notification, the rest counted in truncatedAlerts; default 0, all of them. */
  readonly maxAlerts?: number;
  /** Default "incident-bot", the example's name; it arrives as the payload's `receiver`. */
  readonly name?: string;
}

export const EXAMPLE_GROUP_BY = ['alertname', 'sloth_service', 'sloth_slo'] as const;

/**
 * alertmanager.yml for one webhook receiver. With `tokenFile` the token is read
 * from that file (credentials_file, as the README's example does); without it,
 * it is written inline.
 */
export function alertmanagerConfig(receiver: WebhookReceiver, options: { tokenFile?: string } = {}): string {
  const name = receiver.name ?? 'incident-bot';
  const webhook: Record<string, unknown> = {
    url: receiver.url,
    send_resolved: receiver.sendResolved ?? true,
    max_alerts: receiver.maxAlerts ?? 0,
  };
  if (receiver.bearerToken !== undefined) {
    webhook.http_config = {
      authorization: options.tokenFile ? { type: 'Bearer', credentials_file: options.tokenFile } : { type: 'Bearer', credentials: receiver.bearerToken },
    };
  }
  return stringify({
    route: {
      receiver: name,
      group_by: [...(receiver.groupBy ?? EXAMPLE_GROUP_BY)],
      group_wait: receiver.groupWait ?? '1s',
      group_interval: receiver.groupInterval ?? '1s',
      repeat_interval: receiver.repeatInterval ?? '1h',
    },
    receivers: [{ name, webhook_configs: [webhook] }],
  });
}

/** What a rule's alert is made of; the times are added by firingAlert/resolvedAlert. */
export interface AlertRuleInstance {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly generatorURL?: string;
}

/** One element of the POST /api/v2/alerts array (Alertmanager's postableAlert). */
export interface PostableAlert extends AlertRuleInstance {
  readonly startsAt?: Date | string;
  readonly endsAt?: Date | string;
}

/** Prometheus's --rules.alert.resend-delay default: it re-sends no more often than this. */
const PROMETHEUS_RESEND_DELAY_MS = 60_000;

/**
 * A firing alert as Prometheus sends it at each evaluation: startsAt is when it
 * became active and stays the same on every re-send; endsAt is now + 4 × the
 * evaluation interval (at least the resend delay), so Alertmanager resolves it
 * by itself if Prometheus goes quiet.
 */
export function firingAlert(alert: AlertRuleInstance, at: { activeAt: Date; now?: Date; evaluationIntervalMs?: number }): PostableAlert {
  const now = at.now ?? new Date();
  const interval = Math.max(at.evaluationIntervalMs ?? 60_000, PROMETHEUS_RESEND_DELAY_MS);
  return { ...alert, startsAt: at.activeAt, endsAt: new Date(now.getTime() + 4 * interval) };
}

/** A resolved alert as Prometheus sends it (for 15 minutes after): endsAt is when it stopped, in the past. */
export function resolvedAlert(alert: AlertRuleInstance, at: { activeAt: Date; resolvedAt: Date }): PostableAlert {
  return { ...alert, startsAt: at.activeAt, endsAt: at.resolvedAt };
}

/** The parts of GET /api/v2/alerts (gettableAlert) the tests look at. */
export interface AlertmanagerAlert {
  readonly fingerprint: string;
  readonly labels: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly status: { readonly state: 'active' | 'suppressed' | 'unprocessed' };
  readonly receivers: readonly { readonly name: string }[];
}

export interface AlertmanagerServerOptions {
  readonly receiver: WebhookReceiver;
  /** Default http://127.0.0.1:<port>; it arrives as the payload's externalURL. Give no path: a path moves the API. */
  readonly externalUrl?: string;
  readonly readyTimeoutMs?: number;
}

const STOP_GRACE_MS = 5_000;

export class AlertmanagerServer {
  private child: ServerProcess | undefined;
  private logTail = '';

  private constructor(
    private readonly binary: string,
    readonly folder: string,
    public port: number,
    private readonly options: AlertmanagerServerOptions,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get configFile(): string {
    return join(this.folder, 'alertmanager.yml');
  }

  get running(): boolean {
    return this.child?.alive ?? false;
  }

  /** The last few kilobytes Alertmanager logged, for a failing test's message. */
  get log(): string {
    return this.logTail;
  }

  static async start(options: AlertmanagerServerOptions): Promise<AlertmanagerServer> {
    const binaries = findAlertmanagerBinaries();
    if (!binaries) throw new Error(ALERTMANAGER_MISSING);
    const folder = await mkdtemp(join(tmpdir(), 'incident-bot-alertmanager-'));
    const server = new AlertmanagerServer(binaries.alertmanager, folder, 0, options);
    try {
      let tokenFile: string | undefined;
      if (options.receiver.bearerToken !== undefined) {
        tokenFile = join(folder, 'incident-bot.token');
        // With the newline `echo token > file` leaves: Alertmanager trims it, and the tests show it does.
        await writeFile(tokenFile, `${options.receiver.bearerToken}\n`, { mode: 0o600 });
      }
      await writeFile(server.configFile, alertmanagerConfig(options.receiver, { tokenFile }));
      await startOnFreePort((port) => (server.port = port), () => server.restart());
      return server;
    } catch (error) {
      await server.dispose();
      throw error;
    }
  }

  /** Starts Alertmanager again on the same port, config and data (silences, notification log), after stop(). */
  async restart(): Promise<void> {
    if (this.child?.alive) return;
    this.logTail = '';
    this.child = await ServerProcess.start({
      name: 'alertmanager',
      binary: this.binary,
      args: [
        `--config.file=${this.configFile}`,
        `--storage.path=${join(this.folder, 'data')}`,
        `--web.listen-address=127.0.0.1:${this.port}`,
        `--web.external-url=${this.options.externalUrl ?? this.url}`,
        // Empty: no cluster, so no gossip port and no waiting for peers before notifying.
        '--cluster.listen-address=',
      ],
      readyUrl: `${this.url}/-/ready`,
      readyTimeoutMs: this.options.readyTimeoutMs ?? 15_000,
      onLog: (chunk) => {
        this.logTail = (this.logTail + chunk).slice(-8_000);
      },
    });
  }

  /** Posts alerts to /api/v2/alerts as Prometheus does; a refusal throws with Alertmanager's reason. */
  async pushAlerts(alerts: readonly PostableAlert[]): Promise<void> {
    const body = alerts.map((a) => ({
      labels: a.labels,
      annotations: a.annotations ?? {},
      ...(a.startsAt !== undefined ? { startsAt: new Date(a.startsAt).toISOString() } : {}),
      ...(a.endsAt !== undefined ? { endsAt: new Date(a.endsAt).toISOString() } : {}),
      generatorURL: a.generatorURL ?? '',
    }));
    const response = await fetch(`${this.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`alertmanager refused the alerts (${response.status}): ${text}`);
  }

  /** The alerts Alertmanager holds as firing now; resolved ones are not listed, and none survive a restart. */
  async alerts(): Promise<AlertmanagerAlert[]> {
    const response = await fetch(`${this.url}/api/v2/alerts`, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`alertmanager answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as AlertmanagerAlert[];
  }

  /** Stops the process and keeps its folder, so restart() brings back the same server. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    await child?.stop(STOP_GRACE_MS);
  }

  /** Stops it and removes its folder: config, token and data. */
  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.folder, { recursive: true, force: true });
  }
}
