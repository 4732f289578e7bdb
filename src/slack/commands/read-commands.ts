import type { RespondFn, SlashCommand } from '@slack/bolt';
import { listRoles } from '../../domain/roles.js';
import { readTimeline } from '../../domain/timeline.js';
import type { SlackServices } from '../services.js';
import { helpText, rolesText, timelineText } from '../views/replies.js';

/** Read-only commands: answered ephemerally to whoever asked. */
export async function handleRead(
  services: SlackServices,
  command: SlashCommand,
  respond: RespondFn,
  kind: 'roles' | 'timeline' | 'help',
): Promise<void> {
  const { deps } = services;
  let text: string;
  switch (kind) {
    case 'roles': {
      const { incident, holders } = await listRoles(deps, command.channel_id);
      text = rolesText(incident, holders);
      break;
    }
    case 'timeline': {
      const { incident, entries } = await readTimeline(deps, command.channel_id);
      text = timelineText(incident, entries);
      break;
    }
    case 'help':
      text = helpText();
      break;
  }
  await respond({ response_type: 'ephemeral', text });
}
