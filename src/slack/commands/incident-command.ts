import type { App } from '@slack/bolt';
import { parseIncidentCommand, type IncidentCommand } from '../../domain/command-parser.js';
import type { Actor } from '../../domain/model.js';
import type { SlackServices } from '../services.js';
import { yieldToPendingRequests } from '../yield.js';
import { fromSlackText } from '../text.js';
import { handleChange } from './change-commands.js';
import { declaringReply, handleDeclare, handleDeclareForm } from './declare-command.js';
import { handleFollowUp } from './follow-up-commands.js';
import { handleDigest } from './digest-command.js';
import { handlePaging } from './paging-commands.js';
import { handleRead } from './read-commands.js';
import { handleClosing } from './resolve-commands.js';

/**
 * `/incident ...`: acknowledge first (Slack allows 3 seconds), then parse and
 * act. Errors go to the app's one error handler, which answers ephemerally.
 */
export function registerIncidentCommand(app: App, services: SlackServices): void {
  app.command('/incident', async ({ command, ack, respond }) => {
    let parsed: IncidentCommand;
    try {
      parsed = parseIncidentCommand(fromSlackText(command.text));
    } catch (error) {
      // Acknowledge before anything else; the refusal is answered by the app's error handler.
      await ack();
      throw error;
    }
    // A declaration is answered in the acknowledgement itself; its channel follows from the outbox.
    await ack(parsed.kind === 'declare' ? declaringReply(parsed) : undefined);
    // Let other requests that are waiting be acknowledged before this one's work.
    await yieldToPendingRequests();
    const actor: Actor = { type: 'slack', userId: command.user_id, teamId: command.team_id };
    switch (parsed.kind) {
      case 'declare-form':
        return handleDeclareForm(services, command);
      case 'declare':
        return handleDeclare(services, actor, command, parsed);
      case 'role':
      case 'severity':
      case 'status':
      case 'note':
        return handleChange(services, actor, command, respond, parsed);
      case 'roles':
      case 'timeline':
      case 'list':
      case 'help':
        return handleRead(services, command, respond, parsed.kind);
      case 'action':
      case 'actions':
      case 'done':
      case 'drop':
        return handleFollowUp(services, actor, command, respond, parsed);
      case 'resolve':
      case 'reopen':
      case 'postmortem':
        return handleClosing(services, actor, command, respond, parsed);
      case 'page':
      case 'oncall':
        return handlePaging(services, actor, command, respond, parsed);
      case 'digest':
        return handleDigest(services, command, respond, parsed.here);
      default:
        return assertNever(parsed);
    }
  });
}

function assertNever(value: never): never {
  throw new Error(`unhandled command ${JSON.stringify(value)}`);
}
