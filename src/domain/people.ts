import { cutText } from './clean-text.js';
import type { Clock, NameRepo } from './ports.js';

/** A name Slack showed for a user: a slash command's `user_name`, a mention's `<@U…|label>`. */
export interface SeenName {
  readonly userId: string;
  readonly name: string;
}

const MAX_NAME = 80;

/** The name as it can be printed: one line, trimmed, bounded; empty or the bare id means no name. */
function cleanName(seen: SeenName): string | undefined {
  // Control characters would break the line of the printed draft they land in.
  const spaced = seen.name.replace(/\p{Cc}/gu, ' ').replace(/\s+/g, ' ').trim();
  const name = cutText(spaced, MAX_NAME, '');
  return name && name !== seen.userId ? name : undefined;
}

/**
 * Records the names Slack showed, so the postmortem printed without Slack
 * (`npm run postmortem`) names people instead of showing their ids. The last
 * name seen wins: people rename themselves.
 */
export async function rememberNames(deps: { readonly repos: { readonly names: NameRepo }; readonly clock: Clock }, seen: readonly SeenName[]): Promise<number> {
  const now = deps.clock.now();
  let changed = 0;
  for (const s of seen) {
    const name = cleanName(s);
    if (name && await deps.repos.names.remember(s.userId, name, now)) changed += 1;
  }
  return changed;
}
