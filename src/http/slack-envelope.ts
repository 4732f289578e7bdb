import { z } from 'zod';

/**
 * The shape a signed Slack request must have before Bolt sees it. Bolt reads
 * fields of the body without looking (`'channel' in event`, `body.user.team_id`,
 * `view.app_installed_team_id`…), so a body of the wrong shape made it throw
 * (500), or left the request unanswered until the client gave up. These
 * schemas ask for what Bolt and our listeners read, as Slack documents it
 * (specs/slack/payloads), and let every other field through.
 */

const Id = z.string().min(1);
const AnyObject = z.looseObject({});
/** Bolt reads `.id` or `in` on an object, or takes a string: null or a number would throw. */
const StringOrObject = z.union([z.string(), AnyObject]);

const EventBase = z.looseObject({
  type: z.string().min(1),
  user: StringOrObject.optional(),
  channel: StringOrObject.optional(),
  item: AnyObject.optional(),
  subteam: AnyObject.optional(),
  message: AnyObject.optional(),
  previous_message: AnyObject.optional(),
});

/** reaction_added / reaction_removed (ReactionAddedPayload.json). */
const ReactionEvent = EventBase.extend({
  user: z.string(),
  reaction: z.string(),
  item: z.looseObject({ type: z.string(), channel: z.string().optional(), ts: z.string().optional() }),
}).refine((e) => e.item.type !== 'message' || (e.item.channel !== undefined && e.item.ts !== undefined), {
  message: 'a message item needs its channel and ts',
  path: ['item'],
});

/** Messages in channels, with the edits and deletions the timeline follows (MessageChangedPayload.json). */
const MessageEvent = EventBase.extend({
  channel: z.string(),
  subtype: z.string().optional(),
  message: z.looseObject({ ts: z.string().optional(), text: z.string().optional() }).optional(),
  deleted_ts: z.string().optional(),
})
  .refine((e) => e.subtype !== 'message_changed' || e.message !== undefined, { message: 'message_changed needs the message', path: ['message'] })
  .refine((e) => e.subtype !== 'message_deleted' || e.deleted_ts !== undefined, { message: 'message_deleted needs deleted_ts', path: ['deleted_ts'] });

const EVENT_SCHEMAS: Record<string, z.ZodType> = {
  reaction_added: ReactionEvent,
  reaction_removed: ReactionEvent,
  message: MessageEvent,
};

const EventCallback = z.looseObject({
  type: z.literal('event_callback'),
  event_id: Id,
  team_id: z.string().optional(),
  authorizations: z.array(AnyObject).optional(),
  event: EventBase,
});

const UrlVerification = z.looseObject({ type: z.literal('url_verification'), challenge: z.string() });

/** The form fields of SlashCommandPayload.json that the /incident listener reads. */
const SlashCommand = z.looseObject({
  command: z.string().startsWith('/'),
  text: z.string(),
  user_id: Id,
  channel_id: Id,
  team_id: Id,
  response_url: Id,
  trigger_id: Id,
});

/** Every interactivity payload: Bolt finds the team on `team`, else on `user.team_id`. */
const Interaction = z.looseObject({
  type: z.string(),
  user: z.looseObject({ id: Id, team_id: z.string().optional() }),
  team: z.looseObject({ id: z.string() }).nullable().optional(),
  enterprise: AnyObject.nullable().optional(),
  channel: z.looseObject({ id: z.string() }).optional(),
  actions: z.array(z.looseObject({ type: z.string() })).optional(),
});

/** BlockActionPayload.json */
const BlockActions = Interaction.extend({
  type: z.literal('block_actions'),
  trigger_id: z.string(),
  actions: z.array(z.looseObject({ type: z.string(), action_id: z.string(), block_id: z.string().optional(), value: z.string().optional() })).min(1),
  container: AnyObject.optional(),
  message: z.looseObject({ ts: z.string() }).optional(),
  response_url: z.string().optional(),
});

const StateValue = z.looseObject({
  type: z.string().optional(),
  value: z.string().nullable().optional(),
  selected_option: z.looseObject({ value: z.string() }).nullable().optional(),
  selected_options: z.array(z.looseObject({ value: z.string() })).optional(),
});

/** ViewSubmissionPayload.json, with the form's state as Slack fills it in. */
const ViewSubmission = Interaction.extend({
  type: z.literal('view_submission'),
  view: z.looseObject({
    id: Id,
    callback_id: z.string(),
    private_metadata: z.string(),
    app_installed_team_id: z.string().optional(),
    state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), StateValue)) }),
  }),
});

/** ViewClosedPayload.json */
const ViewClosed = Interaction.extend({
  type: z.literal('view_closed'),
  view: z.looseObject({ id: Id, callback_id: z.string(), app_installed_team_id: z.string().optional() }),
});

const INTERACTION_SCHEMAS: Record<string, z.ZodType> = {
  block_actions: BlockActions,
  view_submission: ViewSubmission,
  view_closed: ViewClosed,
  // Kinds the bot has no listener for: Bolt ignores them once it can read their team.
  shortcut: Interaction,
  message_action: Interaction,
  block_suggestion: Interaction,
  interactive_message: Interaction,
  dialog_submission: Interaction,
  dialog_cancellation: Interaction,
};

export type EnvelopeCheck =
  | { readonly ok: true; readonly kind: string }
  | {
      readonly ok: false;
      readonly kind: string;
      readonly problems: readonly string[];
      /**
       * 200 for the Events API: Slack retries any other answer three times
       * with the same bytes and counts each as a failed delivery (enough of
       * them and it turns the app's event subscriptions off). 400 for
       * commands and interactivity, which Slack never retries: the person
       * sees that it failed.
       */
      readonly status: 200 | 400;
    };

function problemsOf(error: z.ZodError): string[] {
  return error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`);
}

function check(schema: z.ZodType, value: unknown, kind: string, status: 200 | 400): EnvelopeCheck {
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, kind } : { ok: false, kind, problems: problemsOf(parsed.error), status };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a verified request's parsed body (Bolt's own parsing: a form's
 * `payload` field as JSON, other forms as fields, anything else as JSON).
 */
export function checkSlackEnvelope(body: unknown): EnvelopeCheck {
  if (!isRecord(body)) return { ok: false, kind: 'unknown', problems: ['(body): must be a JSON object or a form'], status: 400 };
  if ('event' in body || body.type === 'event_callback') {
    const envelope = check(EventCallback, body, 'event', 200);
    if (!envelope.ok) return envelope;
    const event = body.event as { type: string };
    const specific = EVENT_SCHEMAS[event.type];
    return specific ? check(specific, event, `event ${event.type}`, 200) : envelope;
  }
  if (body.type === 'url_verification') return check(UrlVerification, body, 'url_verification', 400);
  // Slack tells the app it dropped events for a minute; nothing to do but answer.
  if (body.type === 'app_rate_limited') return { ok: true, kind: 'app_rate_limited' };
  if ('command' in body) return check(SlashCommand, body, 'command', 400);
  if ('payload' in body) return { ok: false, kind: 'interaction', problems: ['payload: must be one JSON object'], status: 400 };
  const schema = typeof body.type === 'string' ? INTERACTION_SCHEMAS[body.type] : undefined;
  if (schema) return check(schema, body, String(body.type), 400);
  return { ok: false, kind: 'unknown', problems: ['(body): not a command, event or interaction the bot receives'], status: 400 };
}
