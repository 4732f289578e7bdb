/**
 * What the tests that start a real server from a Debian package share
 * (prometheus-server.ts, alertmanager-server.ts, postgres-server.ts; .ci/install-test-packages
 * installs them): finding the binary on PATH, the skip-or-fail rule when it is
 * missing, a free loopback port, and a child process that is only handed over
 * once it answers ready and is stopped for good (SIGTERM, then SIGKILL).
 */
import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** The executable `name` in the first folder of `searchPath` (PATH by default) that has it, or undefined. */
export function findOnPath(name: string, searchPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
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
}

const toldMissing = new Set<string>();

/**
 * Whether a suite that needs a real binary can run (`describe.skipIf(!…)`).
 * Missing, it is skipped locally with one line naming the package (once per
 * suite and process); with CI=true it throws, so CI fails rather than passing
 * untested.
 */
export function requireBinary(suite: string, missingMessage: string, found: boolean): boolean {
  if (found) return true;
  if (/^(true|1)$/i.test(process.env.CI ?? '')) throw new Error(`${missingMessage}; CI=true, so this is a failure, not a skip`);
  if (!toldMissing.has(suite)) {
    toldMissing.add(suite);
    process.stderr.write(`skipping the ${suite} tests: ${missingMessage}\n`);
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
 * Starts a server on a free port: another process may take the port between
 * our look and the binary's bind, so a bind that fails with "address already
 * in use" is tried again on a new port, three times in all.
 */
export async function startOnFreePort(setPort: (port: number) => void, start: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    setPort(await freePort());
    try {
      await start();
      return;
    } catch (error) {
      // Go says "address already in use", PostgreSQL "Address already in use".
      if (attempt >= 3 || !/address already in use/i.test(String(error))) throw error;
    }
  }
}

const running = new Set<ChildProcess>();
// A test process that dies without its afterAll must not leave a server behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface ServerProcessOptions {
  /** For messages: "prometheus", "alertmanager". */
  readonly name: string;
  readonly binary: string;
  readonly args: readonly string[];
  /** Polled until it answers 2xx; give this or `ready`. */
  readonly readyUrl?: string;
  /** For a server that speaks no HTTP (PostgreSQL): polled until it resolves true. */
  readonly ready?: () => Promise<boolean>;
  /** Passed to spawn: run as another user (PostgreSQL refuses to run as root). */
  readonly spawn?: Pick<SpawnOptions, 'uid' | 'gid'>;
  readonly readyTimeoutMs: number;
  /** Receives everything the process writes to stderr (where both log). */
  readonly onLog: (chunk: string) => void;
}

/** A running server process; start() resolves only once it is ready. */
export class ServerProcess {
  private constructor(private readonly child: ChildProcess) {}

  /** The process id, for a server whose children need finding (PostgreSQL's backends). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True until the process has exited, whoever ended it. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Spawns the binary and waits for its ready URL. An exit before that (a port
   * taken, a bad config) or no answer in time rejects, with the process stopped
   * and its log in the message.
   */
  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    if (!options.ready && options.readyUrl === undefined) throw new Error(`${options.name}: ServerProcess needs readyUrl or ready`);
    let logTail = '';
    const child = spawn(options.binary, [...options.args], { ...options.spawn, stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(child);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      logTail = (logTail + chunk).slice(-8_000);
      options.onLog(chunk);
    });
    const server = new ServerProcess(child);
    const exited = new Promise<never>((_, reject) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        reject(new Error(`${options.name} exited (${signal ?? code}) before it was ready:\n${logTail}`));
      });
    });
    exited.catch(() => undefined); // after readiness, an exit is stop()'s business
    try {
      const readyUrl = options.readyUrl;
      const probe = options.ready ?? (() => answersHttp(readyUrl!));
      await Promise.race([waitReady(probe, options.readyTimeoutMs, () => server.alive), exited]);
    } catch (error) {
      await server.stop(0);
      if (error instanceof ReadyTimeout) throw new Error(`${options.name} was not ready within ${options.readyTimeoutMs} ms:\n${logTail}`);
      throw error;
    }
    return server;
  }

  /** `signal` (SIGTERM unless told), then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (this.alive) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    }
    running.delete(child);
  }
}

class ReadyTimeout extends Error {}

async function answersHttp(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false; // not listening yet
  }
}

async function waitReady(ready: () => Promise<boolean>, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && alive()) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Dead already: the exit's rejection, which carries the log, wins the race.
  if (!alive()) await new Promise(() => undefined);
  throw new ReadyTimeout();
}

export interface ToolRun {
  readonly code: number;
  readonly output: string;
}

/** Runs a command-line tool (promtool, amtool) to its end in `cwd` and keeps what it said, whatever its exit code. */
export function runTool(cwd: string, binary: string, args: readonly string[]): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(binary, [...args], { cwd, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}
