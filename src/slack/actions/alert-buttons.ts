import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { AlertRules } from '../../domain/alert-rules.js';
import { declareAlertGroupSeparately, declareFromAlertNotice, mergeAlertGroup, reopenFromAlerts, takeIncidentCommand } from '../../domain/alert-group-actions.js';
import { incidentRef } from '../../domain/model.js';
import { BUTTON_IDS } from '../ids.js';
import { AlertGroupButtonValue, IncidentButtonValue } from '../metadata.js';
import type { SlackServices } from '../services.js';
import { buttonActor, decideThenAck, parseButtonValue, placeOf, requireButtonOfMessage } from './button-origin.js';

/**
 * The buttons of alert notices and Take IC on the header. Each is trusted
 * only as one of its own message's buttons, pressed in the channel it
 * belongs to (checked by the domain verb).
 */
export function registerAlertButtons(app: App, services: SlackServices, rules: AlertRules): void {
  const ephemeral = (text: string) => ({ response_type: 'ephemeral' as const, replace_original: false, text });
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.takeIc, async ({ ack, action, body, respond }) => {
    const change = await decideThenAck(ack, () => {
      requireButtonOfMessage(body, action);
      const { incidentId } = parseButtonValue(IncidentButtonValue, action.value);
      return takeIncidentCommand(services.deps, buttonActor(body), incidentId, placeOf(body));
    });
    await respond(ephemeral(`:busts_in_silhouette: You are now Incident Commander of *${incidentRef(change.incident.id)}*.`));
  });
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.alertDeclare, async ({ ack, action, body, respond }) => {
    const incident = await decideThenAck(ack, () => {
      requireButtonOfMessage(body, action);
      const { groupId } = parseButtonValue(AlertGroupButtonValue, action.value);
      return declareFromAlertNotice(services.deps, buttonActor(body), groupId, placeOf(body));
    });
    await respond(ephemeral(`:rotating_light: *${incidentRef(incident.id)}* declared from this alert; you are its Incident Commander. Its channel is being set up.`));
  });
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.alertMerge, async ({ ack, action, body, respond }) => {
    const incident = await decideThenAck(ack, () => {
      requireButtonOfMessage(body, action);
      const { groupId } = parseButtonValue(AlertGroupButtonValue, action.value);
      return mergeAlertGroup(services.deps, buttonActor(body), groupId, placeOf(body));
    });
    await respond(ephemeral(`:twisted_rightwards_arrows: Merged: that alert group's alerts now land on *${incidentRef(incident.id)}*.`));
  });
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.alertDeclareSeparately, async ({ ack, action, body, respond }) => {
    const incident = await decideThenAck(ack, () => {
      requireButtonOfMessage(body, action);
      const { groupId } = parseButtonValue(AlertGroupButtonValue, action.value);
      return declareAlertGroupSeparately(services.deps, buttonActor(body), rules, groupId, placeOf(body));
    });
    await respond(ephemeral(`:rotating_light: *${incidentRef(incident.id)}* declared for that alert group; its alerts land there. Its channel is being set up.`));
  });
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.alertReopen, async ({ ack, action, body }) => {
    await decideThenAck(ack, () => {
      requireButtonOfMessage(body, action);
      const { incidentId } = parseButtonValue(IncidentButtonValue, action.value);
      return reopenFromAlerts(services.deps, buttonActor(body), incidentId, placeOf(body));
    });
  });
}
