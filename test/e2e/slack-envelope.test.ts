import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS } from '../../src/slack/ids.js';
import { Harness } from '../support/harness.js';
import { count, query } from '../support/store-sql.js';
import { buttonPressBody, eventCallbackBody, interactivityBody, postSigned, slashCommandBody, viewSubmissionPayload } from '../support/signed-requests.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

interface LogLine {
  level: number;
  msg: string;
  problems?: string[];
  reason?: string;
}

/** Everything the bot could have changed. */
async function stateOf(h: Harness) {
  return JSON.stringify({
    incidents: await query(h, 'select * from incidents order by id'),
    roles: await query(h, 'select * from role_assignments order by id'),
    timeline: await query(h, 'select * from timeline_entries order by id'),
    outbox: await count(h, 'select count(*) n from outbox'),
    writes: h.slack.calls.filter((c) => !['conversations.history', 'auth.test', 'users.info'].includes(c.method)).length,
  });
}

/** The declare form filled in correctly. */
const declareValues = {
  [BLOCK_IDS.title]: { [ACTION_IDS.title]: { type: 'plain_text_input', value: 'Checkout down' } },
  [BLOCK_IDS.severity]: { [ACTION_IDS.severity]: { type: 'static_select', selected_option: { value: 'sev1' } } },
};

describe('Slack requests, signed, but not as Slack sends them', () => {
  let h: Harness;
  let channel: string;
  const logs: LogLine[] = [];
  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    h = await Harness.start({ bot: { logger } });
    await h.run('declare sev2 Search latency high');
    channel = (await h.incidentChannel(1)).id;
  });
  afterAll(async () => h.stop());

  const url = () => `${h.url}/slack/events`;
  const event = (e: unknown) => JSON.stringify({ ...JSON.parse(eventCallbackBody({}).body), event: e });
  const declareCommand = () => slashCommandBody({ text: 'declare sev1 Forged shape', responseUrl: h.slack.responseUrl('shape') });

  // [name, body, content type, expected status]. 200 for the Events API (Slack would retry anything else), 400 otherwise.
  const cases: [string, () => string, string, number][] = [
    ['an event_callback whose event is a string', () => event('reaction_added'), JSON_TYPE, 200],
    ['a reaction_added whose item is null', () => event({ type: 'reaction_added', user: 'U0ALICE', reaction: 'pushpin', item: null }), JSON_TYPE, 200],
    ['an event whose user is null', () => event({ type: 'reaction_added', user: null, reaction: 'pushpin', item: { type: 'message', channel, ts: '1.1' } }), JSON_TYPE, 200],
    ['an event_callback without an event_id', () => JSON.stringify({ type: 'event_callback', event: { type: 'reaction_added' } }), JSON_TYPE, 200],
    ['a body of JSON null', () => 'null', JSON_TYPE, 400],
    ['a body of a JSON array', () => '[{"type":"event_callback"}]', JSON_TYPE, 400],
    ['a body of a JSON number', () => '42', JSON_TYPE, 400],
    ['a JSON body that is not JSON', () => '{"type": "event_callback",', JSON_TYPE, 400],
    ['a url_verification without its challenge', () => '{"type":"url_verification"}', JSON_TYPE, 400],
    ['a payload field that is not JSON', () => 'payload=%7Bnot%20json', FORM, 400],
    ['a payload field that is JSON null', () => 'payload=null', FORM, 400],
    ['two payload fields', () => `${interactivityBody({ type: 'block_actions' })}&${interactivityBody({ type: 'block_actions' })}`, FORM, 400],
    ['a view_submission without its view', () => interactivityBody({ ...viewSubmissionPayload('U0ALICE', CALLBACK_IDS.declareModal, declareValues, '{}'), view: undefined }), FORM, 400],
    [
      'a view_submission whose state values are a string',
      () => {
        const payload = viewSubmissionPayload('U0ALICE', CALLBACK_IDS.declareModal, declareValues, '{}');
        return interactivityBody({ ...payload, view: { ...(payload.view as object), state: { values: 'sev1' } } });
      },
      FORM,
      400,
    ],
    ['a block_actions without actions', () => interactivityBody({ type: 'block_actions', user: { id: 'U0ALICE' }, trigger_id: 't' }), FORM, 400],
    [
      'a block_actions without a user',
      () => {
        const payload = JSON.parse(new URLSearchParams(buttonPressBody({ userId: 'U0ALICE', actionId: 'incident_resolve', value: '{"incidentId":1}', channelId: channel, responseUrl: 'x' })).get('payload')!);
        delete payload.user;
        return interactivityBody(payload);
      },
      FORM,
      400,
    ],
    ['a declare command without its user', () => declareCommand().replace(/&user_id=[^&]*/, ''), FORM, 400],
    ['a declare command with two users', () => `${declareCommand()}&user_id=U0BOB`, FORM, 400],
    ['a form that is neither a command nor an interaction', () => 'hello=world', FORM, 400],
  ];

  it.each(cases)('answers %s with %i, logs what was wrong and changes nothing', async (_name, body, contentType, status) => {
    const before = await stateOf(h);
    const warnings = logs.length;
    const res = await postSigned(url(), body(), contentType);
    expect(res.status).toBe(status);
    await h.settle();
    expect(await stateOf(h)).toBe(before);
    const logged = logs.slice(warnings).filter((l) => l.level === 40);
    expect(logged.map((l) => l.msg)).toEqual([expect.stringMatching(/^refused a signed request (of the wrong shape|whose body is not JSON or a form)$/)]);
    // No fault: bad input is not the bot's error.
    expect(logs.slice(warnings).filter((l) => l.level >= 50)).toEqual([]);
  });

  it('says which fields were wrong', async () => {
    const res = await postSigned(url(), `${declareCommand()}&user_id=U0BOB`, FORM);
    expect(res.json()).toEqual({ error: 'malformed_request', problems: ['user_id: Invalid input: expected string, received array'] });
  });

  it('still takes the well-formed request after them', async () => {
    const res = await postSigned(url(), '{"type":"url_verification","challenge":"c-123"}', JSON_TYPE);
    expect(res.json()).toEqual({ challenge: 'c-123' });
    const { ack } = await h.command('declare sev3 After the bad ones');
    expect(ack.status).toBe(200);
    await h.settle();
    expect((await h.bot.store.incidents.get(2))?.title).toBe('After the bad ones');
  });

  it('answers at once, with no 500, a well-shaped request that makes Bolt itself throw', async () => {
    // `response_urls: null` passes the envelope check, but Bolt reads `.length` of it before any listener runs.
    const before = await stateOf(h);
    const faults = logs.length;
    const payload = { ...viewSubmissionPayload('U0ALICE', CALLBACK_IDS.declareModal, declareValues, '{}'), response_urls: null };
    const res = await h.interact(interactivityBody(payload));
    // Bolt would have answered 500; with no answer at all it would be 404 after 3 s.
    expect(res.status).toBe(200);
    await h.settle();
    expect(await stateOf(h)).toBe(before);
    expect(logs.slice(faults).map((l) => l.msg)).toContain('Bolt could not process a request');
  });
});

describe("Slack's five-minute timestamp window, both ways", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => h.stop());

  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ['6 minutes in the future', 360],
    ['a year in the future', 365 * 24 * 3600],
    ['6 minutes in the past', -360],
    ['a year in the past', -365 * 24 * 3600],
  ])('refuses a correctly signed request stamped %s with 401 and records nothing', async (_name, offset) => {
    // Signed with the secret for that very timestamp: only the window can refuse it.
    const { ack } = await h.command('declare sev1 Replayed from elsewhere in time', { sign: { timestamp: now() + offset } });
    expect(ack.status).toBe(401);
    await h.settle();
    expect(await h.bot.store.incidents.listOpen()).toHaveLength(0);
    expect(h.slack.callsTo('conversations.create')).toHaveLength(0);
  });

  it.each([
    ['4 minutes in the future', 240],
    ['4 minutes in the past', -240],
  ])('accepts one stamped %s (clocks differ)', async (_name, offset) => {
    const { ack } = await h.command('help', { sign: { timestamp: now() + offset } });
    expect(ack.status).toBe(200);
  });

  it('refuses a timestamp that is not a number of seconds', async () => {
    const { ack } = await h.command('help', { sign: { timestamp: Number.NaN } });
    expect(ack.status).toBe(401);
  });
});
