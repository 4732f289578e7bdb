import type { Db } from './client.js';
import { actionsRepo } from './actions.repo.js';
import { alertsRepo } from './alerts.repo.js';
import { digestRepo } from './digest.repo.js';
import { eventLog } from './events.repo.js';
import { healthRepo } from './health.repo.js';
import { namesRepo } from './names.repo.js';
import { pagesRepo } from './pages.repo.js';
import { postmortemsRepo } from './postmortems.repo.js';
import { incidentsRepo } from './incidents.repo.js';
import { outboxRepo } from './outbox.repo.js';
import { rolesRepo } from './roles.repo.js';
import { sloFiguresRepo, thresholdPostsRepo } from './slo-figures.repo.js';
import { statsRepo } from './stats.repo.js';
import { timelineRepo } from './timeline.repo.js';
import { sqliteStore } from './sqlite-store.js';
import type { Store, StoreDecorator } from './store.js';

export type { Store } from './store.js';

/** Every SQLite repository over one connection, synchronous as better-sqlite3 is. */
export function sqliteRepositories(db: Db) {
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
    digest: digestRepo(db),
    health: healthRepo(db),
  };
}

export type SqliteRepositories = ReturnType<typeof sqliteRepositories>;

/** The store over one SQLite connection. */
export function createRepositories(db: Db, decorators: readonly StoreDecorator[] = []): Store {
  return sqliteStore(db, sqliteRepositories(db), decorators);
}
