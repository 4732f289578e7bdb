/**
 * The e2e-postgres project's setup file: after each test file, the databases
 * its harnesses made on the run's server are dropped (those a restart reused,
 * and those of a harness a failing test never stopped), so the server does
 * not fill up over the run.
 */
import { afterAll } from 'vitest';
import { releaseHarnessPostgres } from './harness-postgres.js';

afterAll(() => releaseHarnessPostgres(), 30_000);
