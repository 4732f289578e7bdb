import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import type { Fault } from '../support/slack-stand-in.js';

/** Resolves INC-1 with the post that follows the canvas's creation answered by `fault`. */
async function resolveFailingAfterCanvas(h: Harness, fault: Fault): Promise<string> {
  await h.run('declare sev2 Checkout errors spiking');
  const channel = (await h.incidentChannel(1)).id;
  const release = h.slack.hold('conversations.canvases.create');
  await h.command('resolve Rolled back', { channelId: channel });
  await expect.poll(() => h.slack.held.length, { timeout: 10_000 }).toBe(1);
  // The canvas is made once the hold lets it through; the incident's next post is the one saying so.
  h.slack.failNext('chat.postMessage', fault, 1);
  release();
  await h.settle();
  return channel;
}

const canvasNotices = (h: Harness, channel: string) => h.slack.channels.get(channel)!.messages.filter((m) => m.text.includes("postmortem draft of INC-1 is in this channel's canvas"));

describe('the postmortem canvas made, and the post saying so failed', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('says so on the retry, without a file copy of the same draft beside the canvas', async () => {
    h = await Harness.start();
    const channel = await resolveFailingAfterCanvas(h, { kind: 'http', status: 500 });
    expect(h.slack.canvases.size).toBe(1);
    expect(h.slack.files.size).toBe(0);
    expect(canvasNotices(h, channel)).toHaveLength(1);
    expect(await h.bot.store.postmortems.get(1)).toMatchObject({ version: 1, canvasVersion: 1, fileId: null });
  });

  it('says so once when the post went out but its answer was lost', async () => {
    h = await Harness.start();
    const channel = await resolveFailingAfterCanvas(h, { kind: 'lost' });
    expect(h.slack.files.size).toBe(0);
    expect(canvasNotices(h, channel)).toHaveLength(1);
  });
});
