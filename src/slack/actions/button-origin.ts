import type { BlockAction, ButtonAction } from '@slack/bolt';
import { DomainError } from '../../domain/errors.js';
import type { Place } from '../../domain/access.js';

interface BlockLike {
  readonly accessory?: { readonly action_id?: string; readonly value?: string };
  readonly elements?: readonly { readonly action_id?: string; readonly value?: string }[];
}

/** The channel of the message the button was on (or of the conversation, for an ephemeral one). */
export function placeOf(body: BlockAction): Place {
  return { channelId: body.container?.channel_id ?? body.channel?.id ?? null };
}

/**
 * Slack sends the message a button was on with the click (not for ephemeral
 * messages, which Slack does not keep). When it is there, the button pressed
 * must be one of that message's own buttons, with the same value: a value
 * naming another incident or item is refused, not acted on.
 */
export function requireButtonOfMessage(body: BlockAction<ButtonAction>, action: ButtonAction): void {
  const message = (body as { message?: { blocks?: readonly BlockLike[] } }).message;
  if (!message) return;
  const carried = (message.blocks ?? []).some((block) =>
    [block.accessory, ...(block.elements ?? [])].some((el) => el?.action_id === action.action_id && el.value === action.value),
  );
  if (!carried) {
    throw new DomainError('NOT_ALLOWED', 'That button does not match the message it was on, so nothing was changed. Run the command again for a fresh one.');
  }
}
