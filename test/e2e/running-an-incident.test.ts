import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';

describe('running an incident from its channel', () => {
  let h: Harness;
  let channel: string;
  const headerOf = () => {
    const c = h.incidentChannel(1);
    return JSON.stringify(c.messages.find((m) => c.pins.has(m.ts))!.blocks);
  };

  beforeEach(async () => {
    h = await Harness.start();
    await h.run('declare sev2 Search latency high', { userId: 'U0ALICE' });
    channel = h.incidentChannel(1).id;
  });
  afterEach(async () => h.stop());

  it('assigns and hands over roles: invite, header, topic and timeline follow', async () => {
    await h.run('role tech <@U0BOB|bob>', { channelId: channel });
    await h.run('role commander <@U0CAROL>', { channelId: channel });
    await h.run('role communications <@U0DAN|dan>', { channelId: channel });
    await h.run('role scribe <@U0BOB|bob>', { channelId: channel });

    const c = h.incidentChannel(1);
    expect([...c.members]).toEqual(expect.arrayContaining(['U0ALICE', 'U0BOB', 'U0CAROL', 'U0DAN']));
    expect(c.topic).toBe('SEV2 | Investigating | IC: <@U0CAROL>');
    const header = headerOf();
    expect(header).toContain('*Incident Commander*\\n<@U0CAROL>');
    expect(header).toContain('*Tech Lead*\\n<@U0BOB>');
    expect(header).toContain('*Comms Lead*\\n<@U0DAN>');
    expect(header).toContain('*Scribe*\\n<@U0BOB>');
    // The header was edited in place, never posted again.
    expect(c.messages.filter((m) => m.blocks)).toHaveLength(1);

    const { replies } = await h.run('timeline', { channelId: channel });
    expect(replies[0]).toContain('Incident Commander handed from <@U0ALICE> to <@U0CAROL>');
    expect(replies[0]).toContain('<@U0BOB> is Tech Lead');

    const roles = (await h.run('roles', { channelId: channel })).replies[0]!;
    expect(roles).toContain('*Incident Commander*: <@U0CAROL>');
    expect(roles).toContain('*Comms Lead*: <@U0DAN>');
  });

  it('raises and lowers severity, announcing each change', async () => {
    await h.run('severity sev1', { channelId: channel });
    expect(h.bot.store.incidents.get(1)!.severity).toBe('sev1');
    expect(h.incidentChannel(1).topic).toMatch(/^SEV1 \|/);
    expect(headerOf()).toContain('SEV1: complete outage or data loss');
    const announce = h.slack.channels.get('C0ANNOUNCE')!.messages.map((m) => m.text);
    expect(announce.at(-1)).toContain('Severity raised from SEV2 to');

    await h.run('severity 3', { channelId: channel });
    expect(h.slack.channels.get('C0ANNOUNCE')!.messages.at(-1)!.text).toContain('Severity lowered from SEV1 to');
    const { replies } = await h.run('timeline', { channelId: channel });
    expect(replies[0]).toMatch(/raised from SEV2 to SEV1[\s\S]*lowered from SEV1 to SEV3/);
  });

  it('posts status updates in the channel and the announcement channel, and moves the header', async () => {
    await h.run('status identified Bad index on the orders table', { channelId: channel, userId: 'U0BOB' });
    expect(h.bot.store.incidents.get(1)!.status).toBe('identified');
    const posted = h.incidentChannel(1).messages.at(-1)!.text;
    expect(posted).toContain('*Identified*: Bad index on the orders table');
    expect(posted).toContain('<@U0BOB>');
    expect(h.slack.channels.get('C0ANNOUNCE')!.messages.at(-1)!.text).toContain('Bad index on the orders table');
    expect(headerOf()).toContain('Identified');
    expect(h.incidentChannel(1).topic).toBe('SEV2 | Identified | IC: <@U0ALICE>');

    await h.run('status monitoring', { channelId: channel });
    await h.run('status investigating It came back', { channelId: channel });
    expect(h.bot.store.incidents.get(1)!.status).toBe('investigating');
  });

  it('adds notes and shows the whole timeline in order', async () => {
    const { replies } = await h.run('note Rolled back cart-service to v41', { channelId: channel, userId: 'U0BOB' });
    expect(replies[0]).toContain('Added to the timeline of INC-1');
    await h.run('status monitoring Error rate back to baseline', { channelId: channel });
    const timeline = (await h.run('timeline', { channelId: channel })).replies[0]!;
    const order = ['Declared SEV2', 'Rolled back cart-service to v41', 'Monitoring: Error rate back to baseline'].map((t) => timeline.indexOf(t));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('lists open incidents anywhere, most severe first, with IC and channel', async () => {
    await h.run('declare sev1 Payments down', { userId: 'U0BOB' });
    const { replies } = await h.run('list', { channelId: 'C0GENERAL' });
    const list = replies[0]!;
    expect(list).toContain('Open incidents (2)');
    expect(list.indexOf('INC-2')).toBeLessThan(list.indexOf('INC-1'));
    expect(list).toContain('IC <@U0BOB>');
    expect(list).toContain(`<#${channel}>`);
  });

  it('answers help anywhere with every command', async () => {
    const help = (await h.run('help')).replies[0]!;
    for (const sub of ['declare', 'role', 'roles', 'severity', 'status', 'note', 'timeline', 'list', 'help']) expect(help).toContain(`/incident ${sub}`);
  });
});
