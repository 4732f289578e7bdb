import type { App } from '@slack/bolt';
import { parseIncidentCommand } from '../../domain/command-parser.js';
import type { Actor } from '../../domain/model.js';
import type { SlackServices } from '../services.js';
import { fromSlackText } from '../text.js';
import { handleChange } from './change-commands.js';
import { handleDeclare, handleDeclareForm } from './declare-command.js';
import { handleRead } from './read-commands.js';

/**
 * `/incident ...`: acknowledge first (Slack allows 3 seconds), then parse and
 * act. Errors go to the app's one error handler, which answers ephemerally.
 */
export function registerIncidentCommand(app: App, services: SlackServices): void {
  app.command('/incident', async ({ command, ack, respond }) => {
    await ack();
    const actor: Actor = { type: 'slack', userId: command.user_id, teamId: command.team_id };
    const parsed = parseIncidentCommand(fromSlackText(command.text));
    switch (parsed.kind) {
      case 'declare-form':
        return handleDeclareForm(services, command);
      case 'declare':
        return handleDeclare(services, actor, command, respond, parsed);
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
    }
  });
}
