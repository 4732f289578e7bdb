import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import type { StandInChannel } from '../support/slack-stand-in.js';

const shares = (c: StandInChannel) => c.messages.filter((m) => m.files?.length);

describe("a postmortem draft file shared, and Slack's answer lost", () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('is found again on the retry, not shared a second time, where the workspace has no canvases', async () => {
    h = await Harness.start();
    h.slack.canvasesEnabled = false;
    await h.run('declare sev2 Search slow');
    const channel = await h.incidentChannel(1);
    // Slack shares the file in the channel; the bot hears a 500 and tries again.
    h.slack.failNext('files.completeUploadExternal', { kind: 'lost' }, 1);
    await h.run('resolve Index rebuilt', { channelId: channel.id });
    await h.settle();

    expect(h.slack.callsTo('files.completeUploadExternal').map((c) => c.status)).toEqual([500]);
    expect(shares(channel)).toHaveLength(1);
    const [file] = [...h.slack.files.values()];
    expect(h.slack.files.size).toBe(1);
    expect(file!.filename).toBe('inc-1-postmortem-v1.md');
    expect(await h.bot.store.postmortems.get(1)).toMatchObject({ version: 1, fileId: file!.id });
  });

  it('is found again for a later version posted beside the canvas', async () => {
    h = await Harness.start();
    await h.run('declare sev2 Search slow');
    const channel = await h.incidentChannel(1);
    await h.run('resolve Index rebuilt', { channelId: channel.id });
    h.slack.failNext('files.completeUploadExternal', { kind: 'lost' }, 1);
    await h.run('postmortem', { channelId: channel.id });
    await h.settle();

    expect(h.slack.callsTo('files.completeUploadExternal').map((c) => c.status)).toEqual([500]);
    expect(h.slack.callsTo('conversations.history').length).toBeGreaterThan(0);
    expect(shares(channel)).toHaveLength(1);
    expect([...h.slack.files.values()].map((f) => f.filename)).toEqual(['inc-1-postmortem-v2.md']);
    expect(await h.bot.store.postmortems.get(1)).toMatchObject({ version: 2, canvasVersion: 1, fileId: [...h.slack.files.keys()][0] });
  });
});
