import type { types } from '@slack/bolt';
import { incidentRef } from '../../domain/model.js';
import { draftFileName } from '../../postmortem/markdown.js';
import { BUTTON_IDS } from '../ids.js';
import type { PostmortemButtonValue } from '../metadata.js';

/** What `/incident postmortem` answers: where the new draft goes, and, when a canvas is there, the one way to replace it. */
export function republishedReply(incidentId: number, version: number, canvasVersion: number | null): { text: string; blocks?: types.KnownBlock[] } {
  const ref = incidentRef(incidentId);
  if (canvasVersion === null) {
    return { text: `:memo: Publishing the postmortem draft of ${ref} (version ${version}) in this channel.` };
  }
  const text =
    `:memo: Version ${version} of the postmortem draft of ${ref} is being posted in this channel as a file, \`${draftFileName(incidentId, version)}\`. ` +
    `The channel's canvas is left as the team edited it (it was written from version ${canvasVersion}).`;
  const value: PostmortemButtonValue = { incidentId, version };
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: BUTTON_IDS.replaceCanvas,
            style: 'danger',
            text: { type: 'plain_text', text: `Replace the canvas with version ${version}` },
            value: JSON.stringify(value),
            confirm: {
              title: { type: 'plain_text', text: 'Replace the canvas?' },
              text: { type: 'mrkdwn', text: `The canvas of ${ref} gets version ${version} of the draft. *Everything the team wrote in the canvas is replaced.*` },
              confirm: { type: 'plain_text', text: 'Replace the canvas' },
              deny: { type: 'plain_text', text: 'Keep it' },
              style: 'danger',
            },
          },
        ],
      },
    ],
  };
}
