import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AnsweringReceiver } from '../../../src/slack/answering-receiver.js';

type ProcessEvent = (event: ReceiverEvent) => Promise<void>;

/** A receiver that hands events to whatever app it was given, as Bolt's do; and an app that processes them as told. */
function wire(processEvent: ProcessEvent) {
  let given: { processEvent: ProcessEvent } | undefined;
  const inner: Receiver = {
    init: (app) => {
      given = app as unknown as { processEvent: ProcessEvent };
    },
    start: async () => undefined,
    stop: async () => undefined,
  };
  const receiver = new AnsweringReceiver(inner, pino({ level: 'silent' }));
  // A stand-in for Bolt's App: only processEvent is ever called by a receiver.
  receiver.init({ processEvent } as unknown as App);
  const acks: unknown[] = [];
  const deliver = (body: Record<string, unknown>) => given!.processEvent({ body, ack: async (response?: unknown) => void acks.push(response ?? null) });
  return { receiver, deliver, acks };
}

describe('AnsweringReceiver', () => {
  it('acknowledges, empty, a request no listener acknowledged', async () => {
    const { deliver, acks } = wire(async () => undefined);
    await deliver({ type: 'block_actions' });
    expect(acks).toEqual([null]);
  });

  it('leaves a request its listener acknowledged alone', async () => {
    const { deliver, acks } = wire(async (event) => event.ack({ text: 'done' }));
    await deliver({ command: '/incident' });
    expect(acks).toEqual([{ text: 'done' }]);
  });

  it('answers a command Bolt could not process with an apology and a reference, instead of a 500', async () => {
    const { deliver, acks } = wire(async () => {
      throw new TypeError("Cannot read properties of null (reading 'length')");
    });
    await expect(deliver({ command: '/incident' })).resolves.toBeUndefined();
    expect(acks).toEqual([{ response_type: 'ephemeral', text: expect.stringMatching(/^:x: Sorry, .*reference `[0-9a-f]{8}`/) }]);
  });

  it('answers any other request Bolt could not process empty', async () => {
    const { deliver, acks } = wire(async () => {
      throw new TypeError('boom');
    });
    await deliver({ type: 'view_submission' });
    expect(acks).toEqual([null]);
  });

  it('does not acknowledge twice when Bolt throws after the listener acknowledged', async () => {
    const { deliver, acks } = wire(async (event) => {
      await event.ack();
      throw new Error('after the ack');
    });
    await deliver({ event: { type: 'reaction_added' } });
    expect(acks).toEqual([null]);
  });

  it('tells a stop when the requests being processed have finished', async () => {
    let finish!: () => void;
    const { receiver, deliver } = wire((event) => new Promise<void>((resolve) => (finish = () => void event.ack().then(resolve))));
    const delivered = deliver({ type: 'block_actions' });
    expect(receiver.inFlight()).toBe(1);
    expect(await receiver.settled(20)).toBe(false);
    finish();
    expect(await receiver.settled(1_000)).toBe(true);
    await delivered;
    expect(receiver.inFlight()).toBe(0);
  });
});
