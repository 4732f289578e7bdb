import type { AckFn, App, BlockAction, ButtonAction } from '@slack/bolt';
import { completeActionItemById, snoozeActionItem } from '../../domain/actions.js';
import { DomainError } from '../../domain/errors.js';
import { actionRef, type Actor } from '../../domain/model.js';
import { resolveIncident } from '../../domain/resolve.js';
import { BUTTON_IDS } from '../ids.js';
import { ActionItemButtonValue, IncidentButtonValue } from '../metadata.js';
import type { SlackServices } from '../services.js';
import { safe } from '../text.js';
import { placeOf, requireButtonOfMessage } from './button-origin.js';

function parseValue<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, raw: string | undefined): T {
  let json: unknown;
  try {
    json = JSON.parse(raw ?? '');
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new DomainError('INVALID_INPUT', 'That button is from an older message; run the command again.');
  return parsed.data;
}

function actorOf(body: BlockAction): Actor {
  return { type: 'slack', userId: body.user.id, teamId: body.user.team_id ?? body.team?.id ?? '' };
}

/**
 * The change is committed before Slack is acknowledged, so a crash after the
 * ack loses nothing; a refusal is acknowledged too, then answered by the app's
 * error handler.
 */
async function decideThenAck<T>(ack: AckFn<void>, decide: () => T): Promise<T> {
  let result: T;
  try {
    result = decide();
  } catch (error) {
    await ack();
    throw error;
  }
  await ack();
  return result;
}

/**
 * Buttons: Resolve on the pinned header, Done and Snooze on listings and
 * digests. A button is checked against the message it was on and the channel
 * it was pressed in; a second click is told it is already done.
 */
export function registerButtons(app: App, services: SlackServices): void {
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.resolve, async ({ ack, action, body }) => {
    await decideThenAck(ack, () => {
      requireButtonOfMessage(body, action);
      const { incidentId } = parseValue(IncidentButtonValue, action.value);
      return resolveIncident(services.deps, actorOf(body), { incidentId, pressedIn: placeOf(body) }, '');
    });
  });
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.actionSnooze, async ({ ack, action, body, respond }) => {
    const item = await decideThenAck(ack, () => {
      requireButtonOfMessage(body, action);
      const { incidentId, number } = parseValue(ActionItemButtonValue, action.value);
      return snoozeActionItem(services.deps, actorOf(body), incidentId, number, placeOf(body));
    });
    await respond({ response_type: 'ephemeral', replace_original: false, text: `:zzz: *${actionRef(item)}* snoozed: now due ${item.dueDate}.` });
  });
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.actionDone, async ({ ack, action, body, respond }) => {
    const item = await decideThenAck(ack, () => {
      requireButtonOfMessage(body, action);
      const { incidentId, number } = parseValue(ActionItemButtonValue, action.value);
      return completeActionItemById(services.deps, actorOf(body), incidentId, number, placeOf(body));
    });
    await respond({ response_type: 'ephemeral', replace_original: false, text: `:white_check_mark: *${actionRef(item)}* is done: ${safe(item.text)}` });
  });
}
