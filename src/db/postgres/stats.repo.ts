// Placeholder until the PostgreSQL stats records land: this whole file is replaced by them.
import type { StatsRepo } from '../../domain/stats.js';
import type { PgExecutor } from './executor.js';
import { notYet } from './not-yet.js';

/** The stats records on PostgreSQL (not yet written). */
export function statsRepo(_db: PgExecutor): StatsRepo {
  return notYet('stats');
}
