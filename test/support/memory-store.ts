import { openDatabase } from '../../src/db/client.js';
import { createRepositories } from '../../src/db/repositories.js';
import type { Deps } from '../../src/domain/ports.js';
import { DEFAULT_ERROR_BUDGET_POLICY } from '../../src/slo/policy.js';
import { FixedClock } from './fixed-clock.js';

/** A real SQLite database in memory, migrated from migrations/, with a fixed clock. */
export function memoryDeps(): Deps & { clock: FixedClock; store: ReturnType<typeof createRepositories> } {
  const store = createRepositories(openDatabase(':memory:'));
  return { repos: store, store, clock: new FixedClock(), timeZone: 'UTC', paging: { services: [], pageSeverities: ['sev1', 'sev2'] }, slo: { catalog: { slos: [] }, policy: DEFAULT_ERROR_BUDGET_POLICY } };
}
