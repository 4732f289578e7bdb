import type { SlashCommand } from '@slack/bolt';
import type { IncidentCommand } from '../../domain/command-parser.js';
import type { Actor } from '../../domain/model.js';
import { republishBesideCanvas } from '../../domain/postmortem-canvas.js';
import { reopenIncident, resolveIncident } from '../../domain/resolve.js';
import type { SlackServices } from '../services.js';
import { republishedReply } from '../views/postmortem-reply.js';
import type { Reply } from './reply.js';

type Closing = Extract<IncidentCommand, { kind: 'resolve' | 'reopen' | 'postmortem' }>;

/** Resolve, reopen, and publish the postmortem again, committed before the ack. What they post comes from the outbox. */
export async function decideClosing(services: SlackServices, actor: Actor, command: SlashCommand, parsed: Closing): Promise<Reply | undefined> {
  const { deps } = services;
  switch (parsed.kind) {
    case 'resolve':
      await resolveIncident(deps, actor, { channelId: command.channel_id }, parsed.summary);
      return undefined;
    case 'reopen':
      await reopenIncident(deps, actor, command.channel_id);
      return undefined;
    case 'postmortem': {
      // A canvas already there is the team's: the new draft goes beside it, and the reply offers to replace it.
      const { incident, version, canvasVersion } = await republishBesideCanvas(deps, command.channel_id);
      return republishedReply(incident.id, version, canvasVersion);
    }
  }
}
