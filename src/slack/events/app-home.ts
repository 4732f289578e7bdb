import type { App } from '@slack/bolt';
import { z } from 'zod';
import { publishHome } from '../home-tab.js';
import type { SlackServices } from '../services.js';
import { shapeProblem } from './event-shapes.js';

/** The fields read; the Messages tab sends the same event with `tab: "messages"`. */
const HomeOpened = z.object({ user: z.string().min(1), channel: z.string().nullish(), tab: z.string().nullish() });

/**
 * The App Home tab is built afresh each time its owner opens it. Acknowledged
 * before it is built (Bolt acks events first); a retried event publishes the
 * same Home again, which is harmless.
 */
export function registerAppHomeEvents(app: App, services: SlackServices): void {
  const log = services.logger.child({ component: 'app-home' });
  app.event('app_home_opened', async ({ event }) => {
    const opened = HomeOpened.safeParse(event);
    if (!opened.success) {
      log.warn({ problem: shapeProblem(opened.error) }, 'ignored an app_home_opened event of the wrong shape');
      return;
    }
    if (opened.data.tab !== 'home') return;
    await publishHome(services, opened.data.user, opened.data.channel ?? null);
  });
}
