import type { App } from '@slack/bolt';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { declareIncident } from '../../../src/domain/declare.js';
import { reconcilePinnedMessage } from '../../../src/domain/timeline.js';
import { registerMessageChangeEvents } from '../../../src/slack/events/message-changes.js';
import { registerReactionEvents } from '../../../src/slack/events/reactions.js';
import type { SlackServices } from '../../../src/slack/services.js';
import { memoryDeps } from '../../support/memory-store.js';

type Listener = (args: { event: unknown; body: unknown }) => Promise<void>;

/**
 * The listeners alone, without Bolt or the HTTP envelope check in front of
 * them: Socket Mode delivers events without that check, so whatever reaches
 * a listener must be judged there too.
 */
async function listeners() {
  const deps = memoryDeps();
  const incident = await declareIncident(deps, { type: 'slack', userId: 'U0ALICE', teamId: 'T1' }, { severity: 'sev2', title: 'Search slow' });
  await deps.store.incidents.recordChannel(incident.id, 'C1', 'inc-1-search-slow');
  const registered = new Map<string, Listener>();
  const app = { event: (name: string, listener: Listener) => registered.set(name, listener) } as unknown as App;
  const logs: { level: number; msg: string; problem?: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const services = { deps, logger, timelineEmoji: 'pushpin' } as unknown as SlackServices;
  registerReactionEvents(app, services);
  registerMessageChangeEvents(app, services);
  const send = (name: string, event: unknown, body: unknown = { event_id: `Ev${Math.random()}` }) => registered.get(name)!({ event, body });
  const warnings = () => logs.filter((l) => l.level === 40);
  const jobsAfterDeclare = (await deps.store.outbox.list()).length;
  const newJobs = async () => (await deps.store.outbox.list()).slice(jobsAfterDeclare);
  return { deps, send, warnings, newJobs };
}

describe('reaction listeners', () => {
  it.each([
    ['a null item', { type: 'reaction_added', reaction: 'pushpin', item: null }],
    ['no item', { type: 'reaction_added', reaction: 'pushpin' }],
    ['an item that is a string', { type: 'reaction_removed', reaction: 'pushpin', item: 'oops' }],
    ['a message item without channel or ts', { type: 'reaction_added', reaction: 'pushpin', item: { type: 'message' } }],
    ['a message item with an empty ts', { type: 'reaction_added', reaction: 'pushpin', item: { type: 'message', channel: 'C1', ts: '' } }],
    ['no reaction name', { type: 'reaction_added', item: { type: 'message', channel: 'C1', ts: '1.1' } }],
  ])('log and ignore %s', async (_name, event) => {
    const l = await listeners();
    await expect(l.send(event.type, event)).resolves.toBeUndefined();
    expect(l.warnings()).toHaveLength(1);
    expect(l.warnings()[0]!.msg).toBe('ignored a reaction event of the wrong shape');
    expect(await l.newJobs()).toEqual([]);
  });

  it('log and ignore an envelope without an event id, which could not be applied once', async () => {
    const l = await listeners();
    await l.send('reaction_added', { type: 'reaction_added', reaction: 'pushpin', item: { type: 'message', channel: 'C1', ts: '1.1' } }, {});
    expect(l.warnings()).toHaveLength(1);
    expect(await l.newJobs()).toEqual([]);
  });

  it('skip a reaction on a file without a warning, and still queue a good one', async () => {
    const l = await listeners();
    await l.send('reaction_added', { type: 'reaction_added', reaction: 'pushpin', item: { type: 'file', file: 'F1' } });
    expect(l.warnings()).toEqual([]);
    await l.send('reaction_added', { type: 'reaction_added', reaction: 'pushpin', item: { type: 'message', channel: 'C1', ts: '1.1' } });
    expect((await l.newJobs()).map((j) => j.kind)).toEqual(['timeline.reconcile']);
  });
});

describe('message change listeners', () => {
  it.each([
    ['message_changed without message', { type: 'message', subtype: 'message_changed', channel: 'C1' }],
    ['message_changed with a null message', { type: 'message', subtype: 'message_changed', channel: 'C1', message: null }],
    ['message_changed whose message has no ts', { type: 'message', subtype: 'message_changed', channel: 'C1', message: { text: 'x' } }],
    ['message_changed without channel', { type: 'message', subtype: 'message_changed', message: { ts: '1.1', text: 'x' } }],
    ['message_changed whose message subtype is a number', { type: 'message', subtype: 'message_changed', channel: 'C1', message: { ts: '1.1', subtype: 42 } }],
    ['message_deleted without deleted_ts', { type: 'message', subtype: 'message_deleted', channel: 'C1' }],
  ])('log and ignore %s', async (_name, event) => {
    const l = await listeners();
    await expect(l.send('message', event)).resolves.toBeUndefined();
    expect(l.warnings()).toHaveLength(1);
    expect(l.warnings()[0]!.msg).toBe('ignored a message event of the wrong shape');
  });

  it('ignore other messages quietly, and queue a capture for an edit of a message on the timeline only', async () => {
    const l = await listeners();
    await reconcilePinnedMessage(l.deps, 1, '1.1', { userId: 'U0BOB', text: 'DB failover', postedAt: new Date(0), permalink: null }, 1);
    await l.send('message', { type: 'message', channel: 'C1', text: 'hello', ts: '1.2' });
    await l.send('message', { type: 'message', subtype: 'message_changed', channel: 'C1', message: { ts: '1.2', text: 'hello all' } });
    expect(await l.newJobs()).toEqual([]);
    // The edit's text is not taken: the capture reads the message as it is when it runs.
    await l.send('message', { type: 'message', subtype: 'message_changed', channel: 'C1', message: { ts: '1.1', text: 'DB failover done' } });
    expect(l.warnings()).toEqual([]);
    expect((await l.newJobs()).map((j) => [j.kind, j.payload])).toEqual([['timeline.reconcile', { channelId: 'C1', messageTs: '1.1' }]]);
  });
});
