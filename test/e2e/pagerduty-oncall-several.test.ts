import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { PagerDutyStandIn } from '../support/pagerduty-stand-in.js';

const env = (pd: PagerDutyStandIn) => ({
  PAGERDUTY_ROUTING_KEY: 'R0DEFAULTKEY0000000000000000000',
  PAGERDUTY_EVENTS_URL: pd.url,
  PAGERDUTY_API_URL: pd.url,
  PAGERDUTY_API_TOKEN: 'pd-api-token',
  PAGERDUTY_ESCALATION_POLICY_ID: 'P0POLICY',
});

describe('several people on call at level 1 (a level targeting several schedules and users)', () => {
  let pd: PagerDutyStandIn;
  let h: Harness;
  beforeEach(async () => {
    pd = new PagerDutyStandIn();
    await pd.start();
    pd.onCall = [
      { level: 1, name: 'Dan Oncall', email: 'dan@example.com', schedule: 'Checkout primary' },
      { level: 1, name: 'Carol Payments', email: 'carol@example.com', schedule: 'Payments primary' },
      // Dan is also a user the level targets directly: earliest=true lists him once at level 1.
      { level: 1, name: 'Dan Oncall', email: 'dan@example.com' },
      // Two PagerDuty users with one Slack account between them.
      { level: 1, name: 'Bob', email: 'bob@example.com' },
      { level: 1, name: 'Bob (old account)', email: 'Bob@Example.com' },
      { level: 2, name: 'Erin Backup', email: 'erin@example.com', schedule: 'Secondary' },
    ];
    h = await Harness.start({ env: env(pd), bot: { pagerduty: { retryTimeoutMs: 5, requestTimeoutMs: 5_000 } } });
  });
  afterEach(async () => {
    await h?.stop();
    await pd.stop();
  });

  it('invites every one of them, each once, and not level 2', async () => {
    await h.run('declare sev1 Checkout errors spiking', { userId: 'U0ALICE' });
    await h.settle();
    const channel = await h.incidentChannel(1);
    expect(pd.restRequests.every((r) => r.problems.length === 0)).toBe(true);
    expect([...channel.members]).toEqual(expect.arrayContaining(['U0DAN', 'U0CAROL', 'U0BOB']));
    expect(h.slack.callsTo('users.lookupByEmail').map((c) => c.params.email)).not.toContain('erin@example.com');
    const invited = h.slack.callsTo('conversations.invite').map((c) => String(c.params.users));
    for (const user of ['U0DAN', 'U0CAROL', 'U0BOB']) expect(invited.filter((u) => u === user), user).toHaveLength(1);
    // Invited, then recorded: the header names every on-call, in PagerDuty's order, once everyone is in.
    expect(JSON.stringify(channel.messages.find((m) => channel.pins.has(m.ts))!.blocks)).toContain('*On call (PagerDuty)*\\n<@U0DAN>, <@U0CAROL>, <@U0BOB>"');
    expect((await h.bot.store.incidents.get(1))!.oncallUserIds).toEqual(['U0DAN', 'U0CAROL', 'U0BOB']);
  });

  it('lists each of them in /incident oncall, Dan once, and Bob once for his two PagerDuty accounts', async () => {
    const { replies } = await h.run('oncall');
    expect(replies[0]!.match(/<@U0DAN>/g)).toHaveLength(1);
    expect(replies[0]!.match(/<@U0BOB>/g)).toHaveLength(1);
    expect(replies[0]).toContain('<@U0CAROL> (level 1)');
    expect(replies[0]).not.toContain('Erin');
  });
});
