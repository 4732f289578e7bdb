/**
 * The real bot as `npm start` runs it, in a child process of its own
 * (`node --import tsx src/index.ts`), against the Slack stand-in: for what
 * only a separate process shows honestly, its memory, a kill, a signal and
 * its exit code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { BOT_TOKEN } from './slack-stand-in.js';
import { SIGNING_SECRET } from './signed-requests.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A port nobody listens on now (PORT=0 would not tell us which one the child took). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

export interface BotProcessOptions {
  readonly slackApiUrl: string;
  /** The SQLite file it keeps its database in; or databaseUrl. */
  readonly databaseFile?: string;
  /** DATABASE_URL as it is (postgres://…); wins over databaseFile. */
  readonly databaseUrl?: string;
  readonly env?: Record<string, string>;
  /**
   * BotOptions `npm start` has no variable for (leases, poll intervals): given,
   * the child runs test/support/bot-entry.ts, src/index.ts with these options.
   */
  readonly botOptions?: Record<string, unknown>;
  /** How long to wait for /healthz to say 200. */
  readonly readyTimeoutMs?: number;
}

export class BotProcess {
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(options: BotProcessOptions): Promise<BotProcess> {
    if (!options.databaseUrl && !options.databaseFile) throw new Error('BotProcess needs a databaseFile or a databaseUrl');
    const port = await freePort();
    // Only what the bot needs: nothing from a developer's .env or shell (a .env never overrides what is set).
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_APP_TOKEN: '',
      SLACK_API_URL: options.slackApiUrl,
      DATABASE_URL: options.databaseUrl ?? options.databaseFile ?? '',
      PORT: String(port),
      INCIDENT_ANNOUNCE_CHANNEL: 'C0ANNOUNCE',
      LOG_LEVEL: 'info',
      ...(options.botOptions ? { INCIDENT_BOT_TEST_OPTIONS: JSON.stringify(options.botOptions) } : {}),
      ...options.env,
    };
    const entry = options.botOptions ? 'test/support/bot-entry.ts' : 'src/index.ts';
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const bot = new BotProcess(child, port);
    const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
    let gone = false;
    void bot.exited.then(() => (gone = true));
    for (;;) {
      if (gone) throw new Error(`the bot exited before it was ready:\n${bot.output}`);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the bot was not ready in time:\n${bot.output}`);
      }
      const ok = await fetch(`${bot.url}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) return bot;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Everything it logged (JSON lines) and printed. */
  get logs(): string {
    return this.output;
  }

  /** Kibibytes from /proc/<pid>/status: VmRSS now, VmHWM the peak since the last resetPeak(). */
  memoryKiB(): { rss: number; peak: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: field('VmRSS'), peak: field('VmHWM') };
  }

  /**
   * Waits until the resident memory has stayed within `withinKiB` for
   * `forMs` (at most `timeoutMs`): after a start the bot grows for a second
   * or two on its own as the outbox thread loads, longer on a busy machine,
   * and a figure taken before then would count that growth as a cost.
   * Resolves with the RSS then, in KiB.
   */
  async steadyMemoryKiB({ withinKiB = 512, forMs = 1_000, everyMs = 100, timeoutMs = 15_000 } = {}): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let low = this.memoryKiB().rss;
    let high = low;
    let since = Date.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, everyMs));
      const rss = this.memoryKiB().rss;
      low = Math.min(low, rss);
      high = Math.max(high, rss);
      if (high - low > withinKiB) {
        low = high = rss;
        since = Date.now();
      } else if (Date.now() - since >= forMs) return rss;
      if (Date.now() > deadline) throw new Error(`the bot's memory did not settle in ${timeoutMs} ms (last ${rss} KiB)`);
    }
  }

  /** Sets the peak (VmHWM) back to the present RSS (Linux: `echo 5 > /proc/<pid>/clear_refs`). */
  resetPeak(): void {
    writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Ends it for good (tests' clean-up), however it is doing. */
  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
