import type { AckFn, App, BlockAction, ButtonAction } from '@slack/bolt';
import type { z } from 'zod';
import { declareFromAlertNotice, mergeAlertGroup, reopenFromAlerts, takeIncidentCommand } from '../../domain/alert-group-actions.js';
import { DomainError } from '../../domain/errors.js';
import { incidentRef, type Actor } from '../../domain/model.js';
import { BUTTON_IDS } from '../ids.js';
import { AlertGroupButtonValue, IncidentButtonValue } from '../metadata.js';
import type { SlackServices } from '../services.js';
import { placeOf, requireButtonOfMessage } from './button-origin.js';

function parseValue<T>(schema: z.ZodType<T>, raw: string | undefined): T {
  let json: unknown;
  try {
    json = JSON.parse(raw ?? '');
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new DomainError('INVALID_INPUT', 'That button is from an older message; nothing was changed.');
  return parsed.data;
}

function actorOf(body: BlockAction): Actor {
  return { type: 'slack', userId: body.user.id, teamId: body.user.team_id ?? body.team?.id ?? '' };
}

/** Committed before the ack (a crash after it loses nothing); a refusal is acked too, then answered by the app's error handler. */
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
 * The buttons of alert notices and Take IC on the header. Each is trusted
 * only as one of its own message's buttons, pressed in the channel it
 * belongs to (checked by the domain verb).
 */
export function registerAlertButtons(app: App, services: SlackServices): void {
  const ephemeral = (text: string) => ({ response_type: 'ephemeral' as const, replace_original: false, text });
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.takeIc, async ({ ack, action, body, respond }) => {
    const change = await decideThenAck(ack, () => {
      requireButtonOfMessage(body, action);
      const { incidentId } = parseValue(IncidentButtonValue, action.value);
      return takeIncidentCommand(services.deps, actorOf(body), incidentId, placeOf(body));
    });
    await respond(ephemeral(`:busts_in_silhouette: You are now Incident Commander of *${incidentRef(change.incident.id)}*.`));
  });
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.alertDeclare, async ({ ack, action, body, respond }) => {
    const incident = await decideThenAck(ack, () => {
      requireButtonOfMessage(body, action);
      const { groupId } = parseValue(AlertGroupButtonValue, action.value);
      return declareFromAlertNotice(services.deps, actorOf(body), groupId, placeOf(body));
    });
    await respond(ephemeral(`:rotating_light: *${incidentRef(incident.id)}* declared from this alert; you are its Incident Commander. Its channel is being set up.`));
  });
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.alertMerge, async ({ ack, action, body, respond }) => {
    const incident = await decideThenAck(ack, () => {
      requireButtonOfMessage(body, action);
      const { groupId } = parseValue(AlertGroupButtonValue, action.value);
      return mergeAlertGroup(services.deps, actorOf(body), groupId, placeOf(body));
    });
    await respond(ephemeral(`:twisted_rightwards_arrows: Merged: that alert group's alerts now land on *${incidentRef(incident.id)}*.`));
  });
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.alertReopen, async ({ ack, action, body }) => {
    await decideThenAck(ack, () => {
      requireButtonOfMessage(body, action);
      const { incidentId } = parseValue(IncidentButtonValue, action.value);
      return reopenFromAlerts(services.deps, actorOf(body), incidentId, placeOf(body));
    });
  });
}
