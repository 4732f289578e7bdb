/**
 * PostgreSQL for the harness (STORE=postgres): each harness gets a database of
 * its own, empty and migrated, on one server. The server is the run's when a
 * project's global setup started one (postgres-global-setup.ts: its template
 * named in HARNESS_POSTGRES_URL); otherwise this process starts its own at the
 * first harness, gone with the process.
 *
 * Measured here (2 cores, loaded): a copy of the migrated template costs
 * 70-280 ms, an empty database the bot then migrates 100-170 ms, emptying a
 * used one (stores.ts's way) 7-20 ms. So a database is copied only when every
 * one this process has is in use, and a harness's stop empties its database
 * for the next harness; the emptied database is one a fresh copy would be
 * (no row, every identity restarted).
 */
import { rmSync } from 'node:fs';
import pg from 'pg';
import { migratePostgres, openPostgres } from '../../src/db/postgres/client.js';
import { POSTGRES_MISSING, postgresAvailable, startPostgres, type PostgresServer } from './postgres-server.js';
import { emptyingSql } from './postgres-emptying.js';

/** Where the run's server is: the URL of its migrated template database. */
export const HARNESS_POSTGRES_URL = 'HARNESS_POSTGRES_URL';

/** Which store a harness gives the bot. */
export type HarnessStore = 'sqlite' | 'postgres';

/** `choice`, else STORE from the environment, else SQLite. */
export function harnessStore(choice?: HarnessStore): HarnessStore {
  const store = choice ?? process.env.STORE ?? 'sqlite';
  if (store !== 'sqlite' && store !== 'postgres') throw new Error(`STORE=${store}: the harness knows sqlite and postgres`);
  return store;
}

/**
 * A server whose first database (`url`) is migrated, to be copied, never
 * connected to again (PostgreSQL copies no database that has a session).
 * Several harnesses at once, each with two pools, on up to three workers:
 * PostgreSQL's default of 100 connections is not enough.
 */
export async function startTemplateServer(): Promise<PostgresServer> {
  const server = await startPostgres({ database: 'harness_template', maxConnections: 400 });
  const template = openPostgres(server.url, { poolSize: 1 });
  try {
    await migratePostgres(template.db);
  } catch (error) {
    await server.stop();
    throw error;
  } finally {
    await template.close();
  }
  return server;
}

/** A database for one harness: its URL, and how to let it go. */
export interface HarnessDatabase {
  readonly url: string;
  /** Empties it for the next harness, unless a database file names it (kept as it is for the next start: a restart). */
  release(): Promise<void>;
}

let own: Promise<PostgresServer> | undefined;
/** Its folder, for the exit hook, which cannot wait for a promise. */
let ownFolder: string | undefined;
let admin: { pool: pg.Pool; templateUrl: string } | undefined;
let emptying: Promise<string> | undefined;
/** Every database this process made and has not dropped; `free` are emptied and unused. */
const made = new Set<string>();
const free: string[] = [];
/** The databases restarts reuse, by the database file that names each. */
const byFile = new Map<string, Promise<string>>();
let counter = 0;

// A process that ends without releaseHarnessPostgres (the demo, a script):
// real-binary's own exit hook has killed the server by now; its folder goes too.
process.once('exit', () => {
  if (ownFolder) rmSync(ownFolder, { recursive: true, force: true, maxRetries: 3 });
});

async function server(): Promise<NonNullable<typeof admin>> {
  if (admin) return admin;
  let templateUrl = process.env[HARNESS_POSTGRES_URL];
  if (!templateUrl) {
    if (!postgresAvailable('end-to-end on PostgreSQL')) throw new Error(`STORE=postgres: ${POSTGRES_MISSING}`);
    own ??= startTemplateServer().then((started) => {
      ownFolder = started.folder;
      return started;
    });
    templateUrl = (await own).url;
  }
  if (!admin) {
    // allowExitOnIdle: an idle admin connection must not keep the test process alive.
    const pool = new pg.Pool({ connectionString: urlOf(templateUrl, 'postgres'), max: 2, allowExitOnIdle: true, idleTimeoutMillis: 1_000 });
    // An idle connection cut by the server (its stop at the end of the run) is the pool's to replace, not a crash.
    pool.on('error', () => undefined);
    admin = { pool, templateUrl };
  }
  return admin;
}

function urlOf(templateUrl: string, name: string): string {
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  return url.href;
}

async function take(): Promise<string> {
  const reused = free.pop();
  if (reused) return reused;
  const { pool, templateUrl } = await server();
  // Unique across the test processes sharing the run's server.
  const name = `harness_${process.pid}_${++counter}`;
  await pool.query(`CREATE DATABASE ${name} TEMPLATE ${new URL(templateUrl).pathname.slice(1)}`);
  made.add(name);
  return name;
}

/** Empties `name` for the next harness; a bot crashed on purpose (its sessions left open) is cut off first. */
async function giveBack(name: string): Promise<void> {
  const { pool, templateUrl } = await server();
  await pool.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
  const client = new pg.Client({ connectionString: urlOf(templateUrl, name) });
  await client.connect();
  try {
    // Read through this database, not the template: another process may be copying the
    // template, which PostgreSQL refuses while anyone is connected to it.
    await client.query(await (emptying ??= emptyingSql(client)));
  } finally {
    await client.end();
  }
  free.push(name);
}

/**
 * A database of its own, empty and migrated, given back at release; or, given
 * the database file a restart reuses, the same database as every other
 * harness given that file (kept until releaseHarnessPostgres).
 */
export async function harnessDatabase(databaseFile?: string): Promise<HarnessDatabase> {
  const { templateUrl } = await server();
  if (databaseFile === undefined) {
    const name = await take();
    return { url: urlOf(templateUrl, name), release: () => giveBack(name) };
  }
  let name = byFile.get(databaseFile);
  if (!name) {
    name = take();
    byFile.set(databaseFile, name);
    name.catch(() => byFile.delete(databaseFile));
  }
  return { url: urlOf(templateUrl, await name), release: () => Promise.resolve() };
}

/**
 * Drops every database this process made and stops its own server if it
 * started one: after each test file (harness-postgres-setup.ts), so the run's
 * server does not fill up file after file.
 */
export async function releaseHarnessPostgres(): Promise<void> {
  const names = [...made];
  made.clear();
  free.length = 0;
  emptying = undefined;
  byFile.clear();
  // FORCE: a harness a failing test never stopped still holds sessions.
  for (const name of names) await admin?.pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin?.pool.end();
  admin = undefined;
  const started = await own?.catch(() => undefined);
  own = undefined;
  await started?.stop();
  ownFolder = undefined;
}
