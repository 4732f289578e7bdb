import type { Repos } from '../store.js';
import { actionsRepo } from './actions.repo.js';
import { alertsRepo } from './alerts.repo.js';
import { digestRepo } from './digest.repo.js';
import { eventLog } from './events.repo.js';
import type { PgExecutor } from './executor.js';
import { healthRepo } from './health.repo.js';
import { incidentsRepo } from './incidents.repo.js';
import { namesRepo } from './names.repo.js';
import { outboxRepo } from './outbox.repo.js';
import { pagesRepo } from './pages.repo.js';
import { postmortemsRepo } from './postmortems.repo.js';
import { rolesRepo } from './roles.repo.js';
import { sloFiguresRepo, thresholdPostsRepo } from './slo-figures.repo.js';
import { statsRepo } from './stats.repo.js';
import { timelineRepo } from './timeline.repo.js';

/**
 * Every PostgreSQL repository over one executor (the pool, or one
 * transaction): the same names and answers as the SQLite ones, which the
 * type checks. Cheap to build: nothing is prepared or read until a call.
 */
export function postgresRepositories(db: PgExecutor): Repos {
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
