/**
 * Transactions PostgreSQL rolls back for having run beside another: a
 * deadlock (two replicas locking the same rows in opposite orders) or a
 * serialization failure (under REPEATABLE READ or SERIALIZABLE, which a
 * server's default_transaction_isolation may impose). Neither says anything
 * is wrong with the transaction itself, and PostgreSQL's advice is to run it
 * again from its start: the bot's transactions touch only the database (the
 * outbox carries everything else out after commit), so that is safe.
 */

/** serialization_failure and deadlock_detected. */
const CONFLICTS = new Set(['40001', '40P01']);

/** Runs of one transaction at most, the first included: enough for a few replicas colliding, bounded if it keeps losing. */
export const CONFLICT_ATTEMPTS = 4;

/** An error and what caused it: drizzle wraps pg's error in its own (`Failed query: …`, the cause pg's). */
export function causes(error: Error): Error[] {
  const chain: Error[] = [];
  for (let at: unknown = error; at instanceof Error && chain.length < 5; at = at.cause) chain.push(at);
  return chain;
}

/** Whether `error` (or what caused it) is PostgreSQL's deadlock or serialization failure; nothing else is run again. */
export function isConflict(error: unknown): boolean {
  return error instanceof Error && causes(error).some((e) => CONFLICTS.has(String((e as { code?: unknown }).code)));
}

/**
 * How long to wait before run `attempt + 1`: a few milliseconds, more at each
 * attempt, at random within that, so that the two losers of one collision do
 * not meet again in step.
 */
export function conflictDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.round((5 + random() * 20) * attempt);
}
