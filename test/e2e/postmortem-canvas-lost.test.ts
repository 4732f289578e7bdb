import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';

const canvasNotices = (h: Harness, channel: string) => h.slack.channels.get(channel)!.messages.filter((m) => m.text.includes("postmortem draft of INC-1 is in this channel's canvas"));

describe("the postmortem canvas made, and Slack's answer to its creation lost", () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('takes the canvas Slack made as the postmortem one: no file copy, and later versions know it is there', async () => {
    h = await Harness.start();
    await h.run('declare sev2 Checkout errors spiking');
    const channel = (await h.incidentChannel(1)).id;
    // Slack makes the canvas; the bot hears a 500 and tries again, to be told the channel has one.
    h.slack.failNext('conversations.canvases.create', { kind: 'lost' }, 1);
    await h.run('resolve Rolled back', { channelId: channel });
    await h.settle();

    const creates = h.slack.callsTo('conversations.canvases.create');
    expect(creates.map((c) => c.response.error ?? 'made')).toEqual(['made', 'channel_canvas_already_exists']);
    const canvasId = (await h.incidentChannel(1)).canvasId!;
    expect(h.slack.canvases.size).toBe(1);
    expect(h.slack.files.size).toBe(0);
    expect(await h.bot.store.postmortems.get(1)).toMatchObject({ version: 1, canvasId, canvasVersion: 1, fileId: null });
    expect(canvasNotices(h, channel)).toHaveLength(1);

    // The next draft goes beside the canvas, and the replace button can write it over the canvas.
    const { replies } = await h.run('postmortem', { channelId: channel });
    expect(replies[0]).toContain("The channel's canvas is left as the team edited it (it was written from version 1).");
    expect([...h.slack.files.values()].map((f) => f.filename)).toEqual(['inc-1-postmortem-v2.md']);
  });

  it('puts the draft in a file, as before, when Slack will not say which canvas the channel has', async () => {
    h = await Harness.start();
    await h.run('declare sev2 Checkout errors spiking');
    const channel = (await h.incidentChannel(1)).id;
    h.slack.failNext('conversations.canvases.create', { kind: 'lost' }, 1);
    h.slack.failNext('conversations.info', { kind: 'error', error: 'missing_scope' }, 1);
    await h.run('resolve Rolled back', { channelId: channel });
    await h.settle();

    expect(h.slack.callsTo('conversations.info').map((c) => c.response.error)).toEqual(['missing_scope']);
    expect([...h.slack.files.values()].map((f) => f.filename)).toEqual(['inc-1-postmortem-v1.md']);
    expect(await h.bot.store.postmortems.get(1)).toMatchObject({ canvasId: null, fileId: expect.any(String) });
  });

  it('still puts the draft in a file beside a canvas the team made before the first attempt', async () => {
    h = await Harness.start();
    await h.run('declare sev2 Checkout errors spiking');
    const channel = await h.incidentChannel(1);
    channel.canvasId = 'F0TEAMCANVAS';
    h.slack.canvases.set('F0TEAMCANVAS', { channel: channel.id, markdown: 'the team notes', edits: 0 });
    await h.run('resolve Rolled back', { channelId: channel.id });
    await h.settle();

    expect([...h.slack.files.values()].map((f) => f.filename)).toEqual(['inc-1-postmortem-v1.md']);
    expect(await h.bot.store.postmortems.get(1)).toMatchObject({ canvasId: null, fileId: expect.any(String) });
    expect(h.slack.canvases.get('F0TEAMCANVAS')!.markdown).toBe('the team notes');
  });
});
