import type { Repositories } from '../domain/ports.js';
import type { Db } from './client.js';
import { actionsRepo } from './actions.repo.js';
import { alertsRepo } from './alerts.repo.js';
import { eventLog } from './events.repo.js';
import { namesRepo } from './names.repo.js';
import { pagesRepo } from './pages.repo.js';
import { postmortemsRepo } from './postmortems.repo.js';
import { incidentsRepo } from './incidents.repo.js';
import { outboxRepo } from './outbox.repo.js';
import { rolesRepo } from './roles.repo.js';
import { sloFiguresRepo, thresholdPostsRepo } from './slo-figures.repo.js';
import { statsRepo } from './stats.repo.js';
import { timelineRepo } from './timeline.repo.js';

export type Store = ReturnType<typeof createRepositories>;

/** Every repository over one connection, plus transactions that nest (savepoints). */
export function createRepositories(db: Db) {
  return {
    incidents: incidentsRepo(db),
    roles: rolesRepo(db),
    timeline: timelineRepo(db),
    actions: actionsRepo(db),
    postmortems: postmortemsRepo(db),
    pages: pagesRepo(db),
    names: namesRepo(db),
    alerts: alertsRepo(db),
    stats: statsRepo(db),
    sloFigures: sloFiguresRepo(db),
    thresholdPosts: thresholdPostsRepo(db),
    outbox: outboxRepo(db),
    events: eventLog(db),
    // better-sqlite3's own transaction nests with savepoints, which drizzle's does not.
    // IMMEDIATE: the write lock is taken at BEGIN. A deferred transaction that
    // reads, then writes after the other thread's connection (the outbox) has
    // committed, fails at once with SQLITE_BUSY_SNAPSHOT instead of waiting.
    transaction<T>(fn: () => T): T {
      return db.$client.transaction(fn).immediate();
    },
  } satisfies Repositories;
}
