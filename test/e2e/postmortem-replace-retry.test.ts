import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { buttonPressBody } from '../support/signed-requests.js';
import type { Fault } from '../support/slack-stand-in.js';

/** Confirms "Replace the canvas" on INC-1's version 2, the post that follows the canvas's edit answered by `fault`. */
async function replaceFailingAfterEdit(h: Harness, fault: Fault): Promise<string> {
  await h.run('declare sev2 Search slow');
  const channel = (await h.incidentChannel(1)).id;
  await h.run('resolve Index rebuilt', { channelId: channel });
  await h.run('action Alert on index lag', { channelId: channel });
  await h.run('postmortem', { channelId: channel });
  const release = h.slack.hold('canvases.edit');
  await h.interact(
    buttonPressBody({ userId: 'U0BOB', actionId: 'postmortem_replace_canvas', value: '{"incidentId":1,"version":2}', channelId: channel, responseUrl: h.slack.responseUrl('replace') }),
  );
  await expect.poll(() => h.slack.held.length, { timeout: 10_000 }).toBe(1);
  // The canvas is written once the hold lets it through; the next post is the one saying so.
  h.slack.failNext('chat.postMessage', fault, 1);
  release();
  await h.settle();
  return channel;
}

const replacedNotices = (h: Harness, channel: string) => h.slack.channels.get(channel)!.messages.filter((m) => m.text.includes('<@U0BOB> replaced the canvas of INC-1 with version 2'));

describe('the canvas replaced on confirmation, and the post saying so failed', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('says so on the retry, without writing the canvas again', async () => {
    h = await Harness.start();
    const channel = await replaceFailingAfterEdit(h, { kind: 'http', status: 500 });
    expect(replacedNotices(h, channel)).toHaveLength(1);
    expect(h.slack.callsTo('canvases.edit')).toHaveLength(1);
    expect(await h.bot.store.postmortems.get(1)).toMatchObject({ version: 2, canvasVersion: 2 });
  });

  it('says so once when the post went out but its answer was lost', async () => {
    h = await Harness.start();
    const channel = await replaceFailingAfterEdit(h, { kind: 'lost' });
    // The retry looked for its post and found it.
    expect(h.slack.callsTo('chat.postMessage').filter((c) => String(c.params.text).includes('replaced the canvas'))).toHaveLength(1);
    expect(h.slack.callsTo('conversations.history').length).toBeGreaterThan(0);
    expect(replacedNotices(h, channel)).toHaveLength(1);
    expect(h.slack.callsTo('canvases.edit')).toHaveLength(1);
  });
});
