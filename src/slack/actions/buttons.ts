import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { completeActionItemById, snoozeActionItem } from '../../domain/actions.js';
import { actionRef } from '../../domain/model.js';
import { resolveIncident } from '../../domain/resolve.js';
import { BUTTON_IDS } from '../ids.js';
import { ActionItemButtonValue, IncidentButtonValue } from '../metadata.js';
import type { SlackServices } from '../services.js';
import { safe } from '../text.js';
import { buttonActor, decideThenAck, parseButtonValue, placeOf, requireButtonOfMessage } from './button-origin.js';

/**
 * Buttons: Resolve on the pinned header, Done and Snooze on listings and
 * digests. A button is checked against the message it was on and the channel
 * it was pressed in; a second click is told it is already done.
 */
export function registerButtons(app: App, services: SlackServices): void {
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.resolve, async ({ ack, action, body }) => {
    await decideThenAck(ack, () => {
      requireButtonOfMessage(body, action);
      const { incidentId } = parseButtonValue(IncidentButtonValue, action.value);
      return resolveIncident(services.deps, buttonActor(body), { incidentId, pressedIn: placeOf(body) }, '');
    });
  });
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.actionSnooze, async ({ ack, action, body, respond }) => {
    const item = await decideThenAck(ack, () => {
      requireButtonOfMessage(body, action);
      const { incidentId, number } = parseButtonValue(ActionItemButtonValue, action.value);
      return snoozeActionItem(services.deps, buttonActor(body), incidentId, number, placeOf(body));
    });
    await respond({ response_type: 'ephemeral', replace_original: false, text: `:zzz: *${actionRef(item)}* snoozed: now due ${item.dueDate}.` });
  });
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.actionDone, async ({ ack, action, body, respond }) => {
    const item = await decideThenAck(ack, () => {
      requireButtonOfMessage(body, action);
      const { incidentId, number } = parseButtonValue(ActionItemButtonValue, action.value);
      return completeActionItemById(services.deps, buttonActor(body), incidentId, number, placeOf(body));
    });
    await respond({ response_type: 'ephemeral', replace_original: false, text: `:white_check_mark: *${actionRef(item)}* is done: ${safe(item.text)}` });
  });
}
