import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { completeActionItemById, snoozeActionItem } from '../../domain/actions.js';
import { DomainError } from '../../domain/errors.js';
import { actionRef, type Actor } from '../../domain/model.js';
import { resolveIncident } from '../../domain/resolve.js';
import { BUTTON_IDS } from '../ids.js';
import { ActionItemButtonValue, IncidentButtonValue } from '../metadata.js';
import type { SlackServices } from '../services.js';
import { safe } from '../text.js';

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

/** Buttons: Resolve on the pinned header, Done on action-item listings. A second click is told it is already done. */
export function registerButtons(app: App, services: SlackServices): void {
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.resolve, async ({ ack, action, body }) => {
    await ack();
    const { incidentId } = parseValue(IncidentButtonValue, action.value);
    resolveIncident(services.deps, actorOf(body), { incidentId }, '');
  });
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.actionSnooze, async ({ ack, action, body, respond }) => {
    await ack();
    const { incidentId, number } = parseValue(ActionItemButtonValue, action.value);
    const item = snoozeActionItem(services.deps, actorOf(body), incidentId, number);
    await respond({ response_type: 'ephemeral', replace_original: false, text: `:zzz: *${actionRef(item)}* snoozed: now due ${item.dueDate}.` });
  });
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.actionDone, async ({ ack, action, body, respond }) => {
    await ack();
    const { incidentId, number } = parseValue(ActionItemButtonValue, action.value);
    const item = completeActionItemById(services.deps, actorOf(body), incidentId, number);
    await respond({ response_type: 'ephemeral', replace_original: false, text: `:white_check_mark: *${actionRef(item)}* is done: ${safe(item.text)}` });
  });
}
