/**
 * A real PostgreSQL (Debian's `postgresql` package) for tests: a cluster made
 * with initdb in a temporary folder, its `postgres` started directly (so this
 * process owns the child and can stop, restart or kill it under load), on a
 * free loopback port with trust authentication, and removed when done.
 * PostgreSQL refuses to run as root: as root, it runs as `nobody`.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { killTree } from './process-tree.js';
import { findOnPath, requireBinary, ServerProcess, startOnFreePort, type ServerProcessOptions } from './real-binary.js';

const run = promisify(execFile);

export const POSTGRES_MISSING =
  'PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH or in /usr/lib/postgresql/<n>/bin: apt-get install postgresql (Debian package "postgresql")';

/** The server binaries, all from one folder (initdb runs the postgres beside it). */
export interface PostgresBinaries {
  readonly initdb: string;
  readonly pgCtl: string;
  readonly postgres: string;
}

/**
 * PATH first, then the highest version in `libRoot`: Debian puts the server
 * binaries in /usr/lib/postgresql/<n>/bin and not on PATH.
 */
export function findPostgresBinaries(searchPath = process.env.PATH ?? '', libRoot = '/usr/lib/postgresql'): PostgresBinaries | undefined {
  let versions: string[] = [];
  try {
    versions = readdirSync(libRoot).filter((name) => /^\d+(\.\d+)?$/.test(name)).sort((a, b) => Number(b) - Number(a));
  } catch {
    // no Debian layout here
  }
  const folders = [...searchPath.split(delimiter), ...versions.map((version) => join(libRoot, version, 'bin'))];
  for (const folder of folders.filter(Boolean)) {
    const [initdb, pgCtl, postgres] = ['initdb', 'pg_ctl', 'postgres'].map((name) => findOnPath(name, folder));
    if (initdb && pgCtl && postgres) return { initdb, pgCtl, postgres };
  }
  return undefined;
}

/**
 * Whether the tests that need a real PostgreSQL can run: `describe.skipIf(!postgresAvailable('…'))`.
 * Missing, they are skipped locally with one line naming the package; with CI=true this throws.
 */
export function postgresAvailable(suite: string): boolean {
  return requireBinary(suite, POSTGRES_MISSING, findPostgresBinaries() !== undefined);
}

export interface PostgresServerOptions {
  /** The database startPostgres creates and `url` names; default "incident_bot". */
  readonly database?: string;
  /** Default 100, PostgreSQL's own. */
  readonly maxConnections?: number;
  readonly readyTimeoutMs?: number;
}

const USER = 'incident_bot';
const PASSWORD = 'incident_bot';
/** `nobody`/`nogroup` on Debian: any uid that is not root will do. */
const UNPRIVILEGED = 65_534;
const STOP_GRACE_MS = 10_000;

/** A superuser connection to the `postgres` database, for readiness and CREATE DATABASE. */
function adminClient(port: number): pg.Client {
  return new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres', connectionTimeoutMillis: 2_000 });
}

export class PostgresServer {
  private child: ServerProcess | undefined;
  private logTail = '';

  private constructor(
    private readonly binaries: PostgresBinaries,
    /** The temporary folder: data, sockets, password file. */
    readonly folder: string,
    readonly database: string,
    private readonly options: PostgresServerOptions,
    public port = 0,
  ) {}

  get dataDir(): string {
    return join(this.folder, 'data');
  }

  /** postgres://user:pass@127.0.0.1:<port>/<database>, for the database startPostgres created. */
  get url(): string {
    return this.urlOf(this.database);
  }

  get running(): boolean {
    return this.child?.alive ?? false;
  }

  /** The postmaster's pid (undefined once stopped or killed); its children are the backends and helpers. */
  get pid(): number | undefined {
    return this.child?.alive ? this.child.pid : undefined;
  }

  /** The last few kilobytes PostgreSQL logged, for a failing test's message. */
  get log(): string {
    return this.logTail;
  }

  static async start(options: PostgresServerOptions = {}): Promise<PostgresServer> {
    const binaries = findPostgresBinaries();
    if (!binaries) throw new Error(POSTGRES_MISSING);
    const folder = await mkdtemp(join(tmpdir(), 'incident-bot-postgres-'));
    const server = new PostgresServer(binaries, folder, options.database ?? 'incident_bot', options);
    try {
      await server.initdb();
      await startOnFreePort((port) => (server.port = port), () => server.launch());
      await server.createDatabase(server.database);
      return server;
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  /** Creates another database on this server (one per test file, say) and gives its URL. */
  async createDatabase(name: string): Promise<string> {
    const client = adminClient(this.port);
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } finally {
      await client.end();
    }
    return this.urlOf(name);
  }

  /**
   * Fast shutdown (SIGINT: clients are disconnected, a checkpoint is written),
   * then a start on the same port and data folder. After kill() it only starts,
   * and PostgreSQL recovers from its WAL as after a crash. `whileDown` runs
   * between the two, for what a test must see while the server is down.
   */
  async restart(whileDown?: () => Promise<void>): Promise<void> {
    await this.shutdown();
    await whileDown?.();
    // Killed, the last of its processes may still hold the old shared memory
    // for a moment, and PostgreSQL refuses to start beside them; bounded.
    const deadline = Date.now() + 5_000;
    for (;;) {
      try {
        return await this.launch();
      } catch (error) {
        if (Date.now() > deadline || !String(error).includes('is still in use')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  /** SIGKILL to the postmaster and all its children at once, as a crash would; the folder stays for restart(). */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child?.alive) return;
    await killTree(child.pid!);
    await child.stop(0, 'SIGKILL');
  }

  /** Stops it for good (fast shutdown; past the grace, kill()) and removes its folder. */
  async stop(): Promise<void> {
    await this.shutdown();
    await rm(this.folder, { recursive: true, force: true, maxRetries: 3 });
  }

  /** Fast shutdown; past the grace, killTree rather than ServerProcess's SIGKILL of the postmaster alone, which would leave its backends running. */
  private async shutdown(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child?.alive) return;
    const timer = setTimeout(() => void killTree(child.pid!), STOP_GRACE_MS);
    await child.stop(2 * STOP_GRACE_MS, 'SIGINT');
    clearTimeout(timer);
  }

  private urlOf(database: string): string {
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${this.port}/${encodeURIComponent(database)}`;
  }

  /** initdb into data/ with the superuser, UTF-8, no fsync; only 127.0.0.1 may connect, without a password check. */
  private async initdb(): Promise<void> {
    const passwordFile = join(this.folder, 'password');
    await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    await mkdir(join(this.folder, 'sockets'));
    if (asRoot()) for (const path of [this.folder, passwordFile, join(this.folder, 'sockets')]) await chown(path, UNPRIVILEGED, UNPRIVILEGED);
    await run(this.binaries.initdb, [
      `--pgdata=${this.dataDir}`, `--username=${USER}`, `--pwfile=${passwordFile}`,
      '--encoding=UTF8', '--locale=C', '--no-sync', '--auth=trust', '--no-instructions',
    ], { cwd: this.folder, timeout: 60_000, ...(asRoot() ? { uid: UNPRIVILEGED, gid: UNPRIVILEGED } : {}) });
    await writeFile(join(this.dataDir, 'pg_hba.conf'), 'host all all 127.0.0.1/32 trust\n');
    await rm(passwordFile);
  }

  private async launch(): Promise<void> {
    this.logTail = '';
    const args = [
      '-D', this.dataDir, '-p', String(this.port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', `unix_socket_directories=${join(this.folder, 'sockets')}`,
      '-c', 'fsync=off',
      '-c', `max_connections=${this.options.maxConnections ?? 100}`,
    ];
    this.child = await ServerProcess.start({
      name: 'postgres',
      ...spawnPostgres(this.binaries.postgres, args),
      ready: () => acceptsConnections(this.port),
      readyTimeoutMs: this.options.readyTimeoutMs ?? 30_000,
      onLog: (chunk) => {
        this.logTail = (this.logTail + chunk).slice(-8_000);
      },
    });
  }
}

/** Starts a PostgreSQL in a fresh temporary folder and creates its first database: see PostgresServer. */
export function startPostgres(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  return PostgresServer.start(options);
}

function asRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * Through setpriv (util-linux), which execs postgres with a parent-death
 * signal: a test process killed outright runs no exit hook, and the postmaster
 * would outlive it (its backends follow the postmaster). Without setpriv, the
 * exit hook alone.
 */
function spawnPostgres(postgres: string, args: string[]): Pick<ServerProcessOptions, 'binary' | 'args' | 'spawn'> {
  const setpriv = findOnPath('setpriv');
  if (!setpriv) return { binary: postgres, args, spawn: asRoot() ? { uid: UNPRIVILEGED, gid: UNPRIVILEGED } : {} };
  const drop = asRoot() ? [`--reuid=${UNPRIVILEGED}`, `--regid=${UNPRIVILEGED}`, '--clear-groups'] : [];
  return { binary: setpriv, args: [...drop, '--pdeathsig=KILL', '--', postgres, ...args] };
}

async function acceptsConnections(port: number): Promise<boolean> {
  const client = adminClient(port);
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false; // not listening, or "the database system is starting up"
  } finally {
    await client.end().catch(() => undefined);
  }
}
