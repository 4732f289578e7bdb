import type { App } from '@slack/bolt';
import { z } from 'zod';
import { rememberNames, type SeenName } from '../domain/people.js';
import type { SlackServices } from './services.js';

/** The fields of a slash command that carry names (SlashCommandPayload.json). */
const CommandNames = z.object({
  command: z.string(),
  user_id: z.string(),
  user_name: z.string().optional(),
  text: z.string().optional(),
});

// `<@U0BOB|bob>`: Slack escapes a picked mention in a command's text with the person's name as label.
const LABELLED_MENTION = /<@([UW][A-Z0-9]+)\|([^<>|]+)>/g;
const ENTITY: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** The names a slash command shows: who typed it, and every person mentioned with a label. */
export function namesInCommand(body: unknown): SeenName[] {
  const parsed = CommandNames.safeParse(body);
  if (!parsed.success) return [];
  const { user_id: userId, user_name: userName, text = '' } = parsed.data;
  const seen: SeenName[] = userName ? [{ userId, name: userName }] : [];
  for (const m of text.matchAll(LABELLED_MENTION)) {
    seen.push({ userId: m[1]!, name: m[2]!.replace(/&(amp|lt|gt);/g, (e) => ENTITY[e] ?? e) });
  }
  return seen;
}

/**
 * Remembers the names slash commands show, after the listener is done (so
 * never on the way to the acknowledgement). This process remembers what it
 * already recorded, so a person's every command is not a database write.
 */
export function registerPeopleNames(app: App, services: SlackServices): void {
  const recorded = new Map<string, string>();
  app.use(async ({ body, next }) => {
    try {
      await next();
    } finally {
      try {
        const fresh = namesInCommand(body).filter((s) => recorded.get(s.userId) !== s.name);
        if (fresh.length > 0) {
          await rememberNames(services.deps, fresh);
          for (const s of fresh) recorded.set(s.userId, s.name);
        }
      } catch (error) {
        // A name not recorded costs a user id in a printed draft; it must not fail the command.
        services.logger.warn({ err: error }, 'could not record the names a command showed');
      }
    }
  });
}
