import type { AckFn, BlockAction, ButtonAction } from '@slack/bolt';
import type { z } from 'zod';
import type { Actor } from '../../domain/model.js';
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

/** Whether the pressed button is one of these blocks' own, with the same value. */
function carries(blocks: readonly BlockLike[] | undefined, action: ButtonAction): boolean {
  return (blocks ?? []).some((block) =>
    [block.accessory, ...(block.elements ?? [])].some((el) => el?.action_id === action.action_id && el.value === action.value),
  );
}

/**
 * Slack sends the message a button was on with the click (not for ephemeral
 * messages, which Slack does not keep). When it is there, the button pressed
 * must be one of that message's own buttons, with the same value: a value
 * naming another incident or item is refused, not acted on. A message's
 * button never sits in a view (a Home tab, a modal), so a press from one is
 * refused too, rather than trusted as if from an ephemeral message.
 */
export function requireButtonOfMessage(body: BlockAction<ButtonAction>, action: ButtonAction): void {
  const fromView = body.container?.type === 'view';
  const message = (body as { message?: { blocks?: readonly BlockLike[] } }).message;
  if (!fromView && (!message || carries(message.blocks, action))) return;
  throw new DomainError('NOT_ALLOWED', 'That button does not match the message it was on, so nothing was changed. Run the command again for a fresh one.');
}

/**
 * A Home tab button: Slack sends the Home view it was pressed in with the
 * click (`container.type: "view"`, `view.type: "home"`); the button must be
 * one of that view's own, with the same value. Which follow-up the presser
 * may change is the verb's to decide.
 */
export function requireButtonOfHomeView(body: BlockAction<ButtonAction>, action: ButtonAction): void {
  const { container, view } = body;
  const sameView = container?.type === 'view' && view?.type === 'home' && (container.view_id === undefined || container.view_id === view.id);
  if (sameView && carries(view.blocks as readonly BlockLike[], action)) return;
  throw new DomainError('NOT_ALLOWED', 'That button does not match your Home tab, so nothing was changed. Open the Home tab again for a fresh one.');
}

/** Parses a button's JSON value with its schema; anything else is an old or forged button. */
export function parseButtonValue<T>(schema: z.ZodType<T>, raw: string | undefined): T {
  let json: unknown;
  try {
    json = JSON.parse(raw ?? '');
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new DomainError('INVALID_INPUT', 'That button is from an older message; nothing was changed. Run the command again.');
  return parsed.data;
}

/** Who pressed. */
export function buttonActor(body: BlockAction): Actor {
  return { type: 'slack', userId: body.user.id, teamId: body.user.team_id ?? body.team?.id ?? '' };
}

/**
 * The change is committed before Slack is acknowledged, so a crash after the
 * ack loses nothing; a refusal is acknowledged too, then answered by the app's
 * error handler.
 */
export async function decideThenAck<T>(ack: AckFn<void>, decide: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await decide();
  } catch (error) {
    await ack();
    throw error;
  }
  await ack();
  return result;
}
