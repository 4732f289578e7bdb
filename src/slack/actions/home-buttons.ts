import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { completeOwnActionItem, snoozeOwnActionItem } from '../../domain/home.js';
import { publishHome } from '../home-tab.js';
import { BUTTON_IDS } from '../ids.js';
import { ActionItemButtonValue } from '../metadata.js';
import type { SlackServices } from '../services.js';
import { buttonActor, decideThenAck, parseButtonValue, requireButtonOfHomeView } from './button-origin.js';

/**
 * Done and Snooze on the App Home tab. A press is trusted only as one of the
 * buttons of the Home view Slack sends back with it, and only for the
 * presser's own follow-up; the change is committed before the ack, then the
 * Home is published again to show it. A Home view has no response_url: a
 * refusal reaches the presser through the app's error handler, by DM.
 */
export function registerHomeButtons(app: App, services: SlackServices): void {
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.homeActionDone, async ({ ack, action, body }) => {
    await decideThenAck(ack, () => {
      requireButtonOfHomeView(body, action);
      const { incidentId, number } = parseButtonValue(ActionItemButtonValue, action.value);
      return completeOwnActionItem(services.deps, buttonActor(body), incidentId, number);
    });
    await publishHome(services, body.user.id, null);
  });
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.homeActionSnooze, async ({ ack, action, body }) => {
    await decideThenAck(ack, () => {
      requireButtonOfHomeView(body, action);
      const { incidentId, number } = parseButtonValue(ActionItemButtonValue, action.value);
      return snoozeOwnActionItem(services.deps, buttonActor(body), incidentId, number);
    });
    await publishHome(services, body.user.id, null);
  });
}
