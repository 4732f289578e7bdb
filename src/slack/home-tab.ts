import { maySeeIncident } from '../domain/access.js';
import { homeContent } from '../domain/home.js';
import { budgetOf, burnsInWindow } from './commands/slo-command.js';
import { personAudience } from './audience.js';
import type { SlackServices } from './services.js';
import { HOME_LIMITS, homeView, type HomeBudget, type HomeViewInput } from './views/app-home.js';

/** Which build of each person's Home is the newest, per running bot; builds are numbered once, never reused. */
const builds = new WeakMap<SlackServices, Map<string, number>>();
let lastBuild = 0;

/** Everything the Home view shows for one person, read now. */
async function homeInput(services: SlackServices, userId: string, channelId: string | null): Promise<HomeViewInput> {
  const { deps } = services;
  const now = deps.clock.now();
  const content = await homeContent(deps, userId);
  const audience = await personAudience(services.slack, services.logger, userId, channelId ?? '', content.incidents.map((s) => s.incident));
  const visible = content.incidents.filter((s) => maySeeIncident(s.incident, audience));
  const slos = deps.slo.catalog.slos;
  // Only the SLOs shown are asked about, all at once: a slow Prometheus costs one timeout.
  const budgets = await Promise.all(
    slos.slice(0, HOME_LIMITS.slos).map(async (slo): Promise<HomeBudget> => {
      const { status, source } = await budgetOf(services, slo, await burnsInWindow(services, slo, now), now);
      return { slo, status, source };
    }),
  );
  return {
    incidents: visible,
    hiddenPrivate: content.incidents.length - visible.length,
    items: content.items,
    today: content.today,
    sloCount: slos.length,
    budgets,
    now,
  };
}

/**
 * Publishes a person's Home tab as of now. Two builds for the same person can
 * overlap (the tab opened, then Done pressed while Prometheus is slow): only
 * the newest is published, so an older one never covers a fresher Home. A
 * Home that cannot be published is logged, never thrown: nothing the person
 * asked for is lost, and opening the tab again retries.
 */
export async function publishHome(services: SlackServices, userId: string, channelId: string | null): Promise<void> {
  const mine = builds.get(services) ?? new Map<string, number>();
  builds.set(services, mine);
  const build = ++lastBuild;
  mine.set(userId, build);
  const log = services.logger.child({ component: 'app-home', userId });
  try {
    const view = homeView(await homeInput(services, userId, channelId));
    if (mine.get(userId) !== build) return;
    await services.slack.client.views.publish({ user_id: userId, view });
  } catch (error) {
    log.warn({ err: error }, 'could not publish the Home tab');
  } finally {
    if (mine.get(userId) === build) mine.delete(userId);
  }
}
