import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import { parseIncidentCommand, type IncidentCommand } from '../../domain/command-parser.js';
import type { Actor } from '../../domain/model.js';
import type { SlackServices } from '../services.js';
import { yieldToPendingRequests } from '../yield.js';
import { fromSlackText } from '../text.js';
import { decideChange } from './change-commands.js';
import { declaringReply, decideDeclare, handleDeclareForm } from './declare-command.js';
import { decideFollowUp, listFollowUps } from './follow-up-commands.js';
import { handleDigest } from './digest-command.js';
import { answerList } from './list-command.js';
import { answerOnCall, decidePage } from './paging-commands.js';
import { handleRead } from './read-commands.js';
import type { Reply } from './reply.js';
import { decideClosing } from './resolve-commands.js';
import { answerSlo } from './slo-command.js';
import { decideSloLink } from './slo-link-commands.js';
import { handleStats } from './stats-command.js';
import { AlreadyApplied, oncePerDelivery } from './once-per-delivery.js';

type Change = Extract<
  IncidentCommand,
  { kind: 'declare' | 'role' | 'severity' | 'status' | 'note' | 'action' | 'done' | 'drop' | 'resolve' | 'reopen' | 'postmortem' | 'page' | 'service' | 'impact' }
>;
type Read = Exclude<IncidentCommand, Change>;

const CHANGES: ReadonlySet<IncidentCommand['kind']> = new Set<Change['kind']>([
  'declare', 'role', 'severity', 'status', 'note', 'action', 'done', 'drop', 'resolve', 'reopen', 'postmortem', 'page', 'service', 'impact',
]);

function isChange(parsed: IncidentCommand): parsed is Change {
  return CHANGES.has(parsed.kind);
}

/**
 * `/incident ...`. A command that changes something is decided and committed
 * to the database BEFORE Slack is acknowledged: acknowledged means recorded,
 * so a crash or a deploy right after the "OK" loses nothing. A SQLite
 * transaction takes well under a millisecond; the slow Slack work follows from
 * the outbox. Read-only commands are acknowledged first and answered after.
 * Refusals are acknowledged, then answered by the app's one error handler.
 */
export function registerIncidentCommand(app: App, services: SlackServices): void {
  app.command('/incident', async ({ command, ack, respond }) => {
    const actor: Actor = { type: 'slack', userId: command.user_id, teamId: command.team_id };
    let parsed: IncidentCommand;
    let reply: Reply | undefined;
    try {
      parsed = parseIncidentCommand(fromSlackText(command.text));
      if (isChange(parsed)) {
        const once = oncePerDelivery(services, `slash:${command.trigger_id}`, services.deps.clock.now());
        reply = await decide(once, actor, command, parsed);
      }
    } catch (error) {
      await ack();
      // Applied already, by the first delivery (here or on another replica): that one answered.
      if (error instanceof AlreadyApplied) return;
      throw error;
    }
    // A declaration is answered in the acknowledgement itself; its channel follows from the outbox.
    await ack(parsed.kind === 'declare' ? declaringReply(parsed) : undefined);
    if (isChange(parsed)) {
      if (reply) await respondEphemeral(respond, reply);
      return;
    }
    // Let other requests that are waiting be acknowledged before this one's work.
    await yieldToPendingRequests();
    await answer(services, actor, command, respond, parsed);
  });
}

function respondEphemeral(respond: RespondFn, reply: Reply): Promise<unknown> {
  return respond({ response_type: 'ephemeral', text: reply.text, ...(reply.blocks ? { blocks: reply.blocks as never } : {}) });
}

async function decide(services: SlackServices, actor: Actor, command: SlashCommand, parsed: Change): Promise<Reply | undefined> {
  switch (parsed.kind) {
    case 'declare':
      await decideDeclare(services, actor, command, parsed);
      return undefined;
    case 'role':
    case 'severity':
    case 'status':
    case 'note':
      return decideChange(services, actor, command, parsed);
    case 'action':
    case 'done':
    case 'drop':
      return decideFollowUp(services, actor, command, parsed);
    case 'resolve':
    case 'reopen':
    case 'postmortem':
      return decideClosing(services, actor, command, parsed);
    case 'page':
      return decidePage(services, actor, command, parsed.words);
    case 'service':
    case 'impact':
      return decideSloLink(services, actor, command, parsed);
    default:
      return assertNever(parsed);
  }
}

async function answer(services: SlackServices, actor: Actor, command: SlashCommand, respond: RespondFn, parsed: Read): Promise<void> {
  switch (parsed.kind) {
    case 'declare-form':
      return handleDeclareForm(services, command);
    case 'roles':
    case 'timeline':
    case 'help':
      return handleRead(services, command, respond, parsed.kind);
    case 'list':
      await respondEphemeral(respond, await answerList(services, command));
      return;
    case 'actions':
      await respondEphemeral(respond, await listFollowUps(services, actor, command));
      return;
    case 'oncall':
      await respondEphemeral(respond, await answerOnCall(services));
      return;
    case 'digest':
      return handleDigest(services, command, respond, parsed.here);
    case 'slo':
      await respondEphemeral(respond, await answerSlo(services, command, parsed.service));
      return;
    case 'stats':
      return handleStats(services, command, respond, parsed.span, parsed.here);
    default:
      return assertNever(parsed);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled command ${JSON.stringify(value)}`);
}
