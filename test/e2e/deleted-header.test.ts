import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import type { StandInChannel } from '../support/slack-stand-in.js';

const headers = (c: StandInChannel) => c.messages.filter((m) => m.metadata?.event_type === 'incident_header');
const warnings = (c: StandInChannel) => c.messages.filter((m) => m.text.includes(':warning:'));
const isHeaderPost = (p: Record<string, unknown>) => String(p.metadata ?? '').includes('incident_header');

describe('a pinned incident header someone deleted', () => {
  let h: Harness;
  let channel: StandInChannel;

  beforeEach(async () => {
    h = await Harness.start();
    await h.run('declare sev2 Search latency high', { userId: 'U0ALICE' });
    channel = await h.incidentChannel(1);
    h.slack.deleteMessage(channel.id, headers(channel)[0]!.ts);
  });
  afterEach(async () => h.stop());

  it('is posted and pinned again at the next change, once, and later changes update the new one without warnings', async () => {
    await h.run('severity sev1', { channelId: channel.id });
    const [reposted] = headers(channel);
    expect(headers(channel)).toHaveLength(1);
    expect(channel.pins.has(reposted!.ts)).toBe(true);
    expect(JSON.stringify(reposted!.blocks)).toContain('SEV1');
    expect((await h.bot.store.incidents.get(1))!.headerTs).toBe(reposted!.ts);

    await h.run('status identified Bad index', { channelId: channel.id });
    expect(headers(channel).map((m) => m.ts)).toEqual([reposted!.ts]);
    expect(JSON.stringify(headers(channel)[0]!.blocks)).toContain('Identified');
    expect(h.slack.callsTo('chat.postMessage').filter((c) => isHeaderPost(c.params))).toHaveLength(2);
    expect(warnings(channel)).toEqual([]);
    expect(channel.topic).toMatch(/^SEV1 \| Identified/);
  });

  it('is posted again only once when the answer to the new post was lost', async () => {
    const release = h.slack.hold('chat.postMessage', isHeaderPost);
    await h.command('severity sev1', { channelId: channel.id });
    await expect.poll(() => h.slack.held.length, { timeout: 10_000 }).toBe(1);
    h.slack.failNext('chat.postMessage', { kind: 'lost' }, 1);
    release();
    await h.settle();
    expect(headers(channel)).toHaveLength(1);
    expect(channel.pins.has(headers(channel)[0]!.ts)).toBe(true);
    expect((await h.bot.store.incidents.get(1))!.headerTs).toBe(headers(channel)[0]!.ts);
    expect(warnings(channel)).toEqual([]);
  });
});
