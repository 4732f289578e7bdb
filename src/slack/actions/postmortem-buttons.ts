import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { DomainError } from '../../domain/errors.js';
import { incidentRef } from '../../domain/model.js';
import { replacePostmortemCanvas } from '../../domain/postmortem-canvas.js';
import { BUTTON_IDS } from '../ids.js';
import { parsePostmortemButtonValue } from '../metadata.js';
import type { SlackServices } from '../services.js';
import { buttonActor, decideThenAck, placeOf, requireButtonOfMessage } from './button-origin.js';

/**
 * "Replace the canvas", offered with a re-published draft. The replacement is
 * queued before Slack is acknowledged; a refusal is acknowledged too, then
 * answered by the app's error handler. The answer takes the place of the
 * offer, so the button cannot be pressed twice by mistake.
 */
export function registerPostmortemButtons(app: App, services: SlackServices): void {
  app.action<BlockAction<ButtonAction>>(BUTTON_IDS.replaceCanvas, async ({ ack, action, body, respond }) => {
    const replaced = await decideThenAck(ack, () => {
      requireButtonOfMessage(body, action);
      const named = parsePostmortemButtonValue(action.value);
      if (!named) throw new DomainError('INVALID_INPUT', 'That button is from an older message, so nothing was changed. Run `/incident postmortem` again.');
      return replacePostmortemCanvas(services.deps, buttonActor(body), placeOf(body), named);
    });
    await respond({
      response_type: 'ephemeral',
      replace_original: true,
      text: `:memo: Replacing the canvas of ${incidentRef(replaced.incident.id)} with version ${replaced.version} of the postmortem draft.`,
    });
  });
}
