/**
 * The real PostgreSQL the store's tests run against (Debian's postgresql):
 * found where Debian puts it, reachable at the URL it gives, restarted on the
 * same port and data under a pool that keeps working, killed like a crash and
 * recovered, and gone without a trace when stopped.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPostgresBinaries, postgresAvailable, startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { childProcessIds, isLiving } from '../support/process-tree.js';

/** The postmaster and its children (checkpointer, WAL writer, backends…) now. */
async function serverProcesses(server: PostgresServer): Promise<number[]> {
  return [server.pid!, ...(await childProcessIds(server.pid!))];
}

async function stillLiving(pids: readonly number[]): Promise<number[]> {
  const living = await Promise.all(pids.map(async (pid) => ((await isLiving(pid)) ? [pid] : [])));
  return living.flat();
}

/** The real uid of process `pid` (first of the four on the Uid: line). */
async function uidOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^Uid:\s+(\d+)/m.exec(status)![1]);
}

const DEBIAN_ROOT = '/usr/lib/postgresql';

describe('findPostgresBinaries', () => {
  // Debian's server binaries are not on PATH; a fresh CI machine has them only there.
  it.skipIf(!existsSync(DEBIAN_ROOT))('finds the highest version in /usr/lib/postgresql/<n>/bin with an empty PATH', () => {
    const highest = readdirSync(DEBIAN_ROOT).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a))[0]!;
    expect(findPostgresBinaries('', DEBIAN_ROOT)).toEqual({
      initdb: join(DEBIAN_ROOT, highest, 'bin', 'initdb'),
      pgCtl: join(DEBIAN_ROOT, highest, 'bin', 'pg_ctl'),
      postgres: join(DEBIAN_ROOT, highest, 'bin', 'postgres'),
    });
  });

  it('finds nothing where there is nothing', () => {
    expect(findPostgresBinaries('', '/nonexistent')).toBeUndefined();
  });
});

describe.skipIf(!postgresAvailable('real-PostgreSQL'))('a real PostgreSQL for the tests', () => {
  let server: PostgresServer;
  let pool: pg.Pool;
  let poolEnded = false;
  const poolErrors: Error[] = [];

  beforeAll(async () => {
    server = await startPostgres({ database: 'harness' });
    pool = new pg.Pool({ connectionString: server.url, max: 4 });
    // An idle client the server hangs up on (restart, kill) is reported here, then dropped.
    pool.on('error', (error) => poolErrors.push(error));
  });

  afterAll(async () => {
    if (!poolEnded) await pool?.end();
    await server?.stop();
  });

  it('answers at its URL, as a superuser, in UTF-8, with fsync off', async () => {
    expect(server.url).toBe(`postgres://incident_bot:incident_bot@127.0.0.1:${server.port}/harness`);
    const { rows } = await pool.query<{ db: string; encoding: string; superuser: string; fsync: string }>(
      `SELECT current_database() AS db, pg_encoding_to_char(encoding) AS encoding,
              current_setting('is_superuser') AS superuser, current_setting('fsync') AS fsync
         FROM pg_database WHERE datname = current_database()`,
    );
    expect(rows).toEqual([{ db: 'harness', encoding: 'UTF8', superuser: 'on', fsync: 'off' }]);
    // The postmaster and its helpers, none of them root.
    const processes = await serverProcesses(server);
    expect(processes.length).toBeGreaterThan(3);
    for (const pid of processes) expect(await uidOf(pid)).not.toBe(0);
    await pool.query('CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)');
    await pool.query("INSERT INTO notes (body) VALUES ('before the restart')");
  });

  it('gives each test file a database of its own on the same server', async () => {
    const url = await server.createDatabase('another file');
    expect(url).toBe(`postgres://incident_bot:incident_bot@127.0.0.1:${server.port}/another%20file`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; notes: string | null }>("SELECT current_database() AS db, to_regclass('notes')::text AS notes");
      expect(rows).toEqual([{ db: 'another file', notes: null }]);
    } finally {
      await client.end();
    }
  });

  it('restarts on the same port and data, and the pool reconnects', async () => {
    const { port, dataDir } = server;
    const before = await serverProcesses(server);
    await server.restart();
    expect(before).not.toContain(server.pid);
    expect({ port: server.port, dataDir: server.dataDir }).toEqual({ port, dataDir });
    // A fast shutdown waits for every child before the postmaster exits.
    expect(await stillLiving(before)).toEqual([]);
    const { rows } = await pool.query<{ body: string }>('SELECT body FROM notes');
    expect(rows).toEqual([{ body: 'before the restart' }]);
  });

  it('is killed outright, every process of it, and recovers what was committed on the next start', async () => {
    await pool.query("INSERT INTO notes (body) VALUES ('before the kill')");
    const before = await serverProcesses(server);
    await server.kill();
    expect(server.running).toBe(false);
    // SIGKILL is delivered at once, but each process is gone only once the kernel has torn it down.
    await expect.poll(() => stillLiving(before)).toEqual([]);
    await expect(pool.query('SELECT 1')).rejects.toThrow();

    await server.restart();
    const { rows } = await pool.query<{ body: string }>('SELECT body FROM notes ORDER BY id');
    expect(rows.map((row) => row.body)).toEqual(['before the restart', 'before the kill']);
    expect(server.log).toMatch(/not properly shut down; automatic recovery in progress/);
  });

  it('stops for good: no process and no folder left', async () => {
    const before = await serverProcesses(server);
    const folder = server.folder;
    poolEnded = true;
    await pool.end();
    await server.stop();
    expect(await stillLiving(before)).toEqual([]);
    expect(existsSync(folder)).toBe(false);
    const client = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 2_000 });
    await expect(client.connect()).rejects.toThrow(/ECONNREFUSED/);
  });
});
