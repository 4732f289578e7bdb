import type { RespondFn, SlashCommand } from '@slack/bolt';
import type { IncidentCommand } from '../../domain/command-parser.js';
import type { Actor } from '../../domain/model.js';
import { incidentRef } from '../../domain/model.js';
import { assignRole } from '../../domain/roles.js';
import { changeSeverity } from '../../domain/severity.js';
import { postStatusUpdate } from '../../domain/status.js';
import { addNote } from '../../domain/timeline.js';
import type { SlackServices } from '../services.js';

type Change = Extract<IncidentCommand, { kind: 'role' | 'severity' | 'status' | 'note' }>;

/**
 * Commands that change an incident. Their visible result (header, topic,
 * channel post) comes from the outbox; the person who typed gets a short
 * confirmation only where nothing else shows.
 */
export async function handleChange(
  services: SlackServices,
  actor: Actor,
  command: SlashCommand,
  respond: RespondFn,
  parsed: Change,
): Promise<void> {
  const { deps } = services;
  switch (parsed.kind) {
    case 'role':
      assignRole(deps, actor, command.channel_id, parsed.role, parsed.userId);
      return;
    case 'severity':
      changeSeverity(deps, actor, command.channel_id, parsed.severity);
      return;
    case 'status':
      postStatusUpdate(deps, actor, command.channel_id, parsed.status, parsed.message);
      return;
    case 'note': {
      const entry = addNote(deps, actor, command.channel_id, parsed.text);
      await respond({ response_type: 'ephemeral', text: `:memo: Added to the timeline of ${incidentRef(entry.incidentId)}.` });
      return;
    }
  }
}
