/**
 * `npm run bench`: every figure as a ratio against a baseline measured in the
 * same run. See BENCHMARKS.md for the targets and the last figures.
 */
import { findPostgresBinaries, POSTGRES_MISSING, startPostgres } from '../test/support/postgres-server.js';
import { ackBenchmarks } from './ack-benchmark.js';
import { ackProfileBenchmark } from './ack-profile.js';
import { alertStormBenchmark } from './alert-storm.js';
import { digestScaleBenchmark } from './digest-scale.js';
import { sloBenchmarks } from './slo-budget.js';
import { webApiCostBenchmark } from './web-api-cost.js';

const out = (line = '') => process.stdout.write(`${line}\n`);

/** The sections that need a PostgreSQL: `ack-postgres` and `digest`, and so the full run. */
const NEEDS_POSTGRES = new Set([undefined, 'ack-postgres', 'digest']);

async function main(): Promise<void> {
  out(`# Benchmarks, ${new Date().toISOString()}, Node ${process.version}`);
  out();
  const only = process.argv[2];
  // One PostgreSQL for the sections that use it, a fresh database in it for each bot and each digest size;
  // stopped before the rest, which run with nothing of it beside them.
  const postgres = NEEDS_POSTGRES.has(only) && findPostgresBinaries() ? await startPostgres() : undefined;
  try {
    if (only === 'ack') await ackBenchmarks(out);
    // Not in the full run: it explains the ack ratios rather than measuring a target.
    if (only === 'ack-profile') await ackProfileBenchmark(out);
    if (!only || only === 'ack-postgres') {
      // The full run measures the SQLite bot beside the PostgreSQL one when it can, alone when it cannot.
      if (postgres) await ackBenchmarks(out, await postgres.createDatabase('bench_ack'));
      else if (only) out(`## /incident declare on PostgreSQL: skipped (${POSTGRES_MISSING})`);
      else {
        out(`PostgreSQL bot skipped: ${POSTGRES_MISSING}.`);
        out();
        await ackBenchmarks(out);
      }
    }
    if (!only || only === 'digest') {
      out();
      await digestScaleBenchmark(out, postgres, POSTGRES_MISSING);
    }
  } finally {
    await postgres?.stop();
  }
  if (!only || only === 'slo') {
    out();
    await sloBenchmarks(out);
  }
  if (!only || only === 'alerts') {
    out();
    await alertStormBenchmark(out);
  }
  if (!only || only === 'client') {
    out();
    await webApiCostBenchmark(out);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
