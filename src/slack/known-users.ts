import type { Logger } from 'pino';
import { DomainError } from '../domain/errors.js';
import type { Actor } from '../domain/model.js';
import type { SlackGateway } from './gateway.js';

/** How long a user Slack confirmed stays confirmed without asking again. */
const KNOWN_FOR_MS = 10 * 60_000;

/**
 * Checks, before anything is recorded, that a person named in a command
 * (a role holder, a follow-up's owner) is someone Slack knows, and a person
 * rather than an app: a role given to `<@U0NOBODY>` would be recorded and its
 * invitation fail where nobody sees.
 * The check runs before the acknowledgement, so it is bounded: Slack gives a
 * command 3 seconds, and a check Slack does not answer in time refuses the
 * command (nothing recorded) rather than accepting it unchecked.
 */
export class KnownUsers {
  private readonly confirmed = new Map<string, number>();

  constructor(
    private readonly slack: SlackGateway,
    private readonly logger: Logger,
    private readonly timeoutMs = 1_500,
    private readonly now: () => number = Date.now,
  ) {}

  async requireKnown(userId: string, actor: Actor): Promise<void> {
    // The person typing is someone Slack knows: it sent us their id.
    if (actor.type === 'slack' && actor.userId === userId) return;
    if ((this.confirmed.get(userId) ?? 0) > this.now()) return;
    let user: Awaited<ReturnType<SlackGateway['userInfo']>>;
    try {
      user = await withTimeout(this.slack.userInfo(userId), this.timeoutMs);
    } catch (error) {
      this.logger.warn({ err: error, userId }, 'could not check a user with Slack');
      throw new DomainError('CONFLICT', `Slack did not answer in time to confirm who ${userId} is, so nothing was changed. Try again in a moment.`);
    }
    if (!user) {
      throw new DomainError('INVALID_INPUT', `Slack knows no user ${userId} in this workspace, so nothing was changed. Mention someone with @ and pick them from the list.`);
    }
    if (user.deleted) {
      throw new DomainError('INVALID_INPUT', `<@${userId}>'s account is deactivated, so nothing was changed. Mention someone who can act on it.`);
    }
    // An app cannot lead, be invited to act, or be reminded of a follow-up: it would hold the role in name only.
    if (user.isBot) {
      throw new DomainError('INVALID_INPUT', `<@${userId}> is an app, not a person, so nothing was changed. Roles and follow-ups are for people: mention someone who can act on it.`);
    }
    this.confirmed.set(userId, this.now() + KNOWN_FOR_MS);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
