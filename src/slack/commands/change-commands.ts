import type { SlashCommand } from '@slack/bolt';
import type { IncidentCommand } from '../../domain/command-parser.js';
import type { Actor } from '../../domain/model.js';
import { incidentRef } from '../../domain/model.js';
import { requireIncidentInChannel } from '../../domain/incident-lookup.js';
import { assignRole } from '../../domain/roles.js';
import { USAGE } from '../../domain/usage.js';
import { changeSeverity } from '../../domain/severity.js';
import { postStatusUpdate } from '../../domain/status.js';
import { addNote } from '../../domain/timeline.js';
import type { SlackServices } from '../services.js';
import type { Reply } from './reply.js';

type Change = Extract<IncidentCommand, { kind: 'role' | 'severity' | 'status' | 'note' }>;

/**
 * Commands that change an incident, decided (committed) before Slack is
 * acknowledged. Their visible result (header, topic, channel post) comes from
 * the outbox; the person who typed gets a short confirmation only where
 * nothing else shows.
 */
export async function decideChange(services: SlackServices, actor: Actor, command: SlashCommand, parsed: Change): Promise<Reply | undefined> {
  const { deps } = services;
  switch (parsed.kind) {
    case 'role':
      // A role holder Slack does not know would be recorded and never invited
      // (asked only where the command can work at all: in an incident's channel).
      await requireIncidentInChannel(deps.repos.incidents, command.channel_id, USAGE.role);
      await services.people.requireKnown(parsed.userId, actor);
      await assignRole(deps, actor, command.channel_id, parsed.role, parsed.userId);
      return undefined;
    case 'severity':
      await changeSeverity(deps, actor, command.channel_id, parsed.severity);
      return undefined;
    case 'status':
      await postStatusUpdate(deps, actor, command.channel_id, parsed.status, parsed.message);
      return undefined;
    case 'note': {
      const entry = await addNote(deps, actor, command.channel_id, parsed.text);
      return { text: `:memo: Added to the timeline of ${incidentRef(entry.incidentId)}.` };
    }
  }
}
