import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { count, query } from '../support/store-sql.js';

/** What a refused change must leave as it was. */
async function stateOf(h: Harness) {
  return JSON.stringify({
    incidents: await query(h, 'select * from incidents order by id'),
    roles: await query(h, 'select * from role_assignments order by id'),
    timeline: await query(h, 'select * from timeline_entries order by id'),
    outbox: await count(h, 'select count(*) n from outbox'),
  });
}

describe('changes typed in the channel of a resolved incident', () => {
  let h: Harness;
  let channel: string;
  beforeAll(async () => {
    h = await Harness.start();
    await h.run('declare sev2 Search latency high');
    channel = (await h.incidentChannel(1)).id;
    await h.run('resolve Index rebuilt', { channelId: channel });
    await h.settle();
    expect((await h.bot.store.incidents.get(1))!.status).toBe('resolved');
  });
  afterAll(async () => h.stop());

  // A status update on a resolved incident once moved it back to
  // investigating without a reopen: no "Reopened" on the timeline, no reopen
  // notice, and its resolved time kept as if it were still resolved.
  it.each([
    ['status investigating', 'status investigating It came back'],
    ['status identified', 'status identified Bad index'],
    ['severity', 'severity sev1'],
    ['role', 'role tech <@U0BOB|bob>'],
  ])('%s is refused, naming /incident reopen', async (_name, text) => {
    const before = await stateOf(h);
    const { replies } = await h.run(text, { channelId: channel });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('INC-1 is resolved');
    expect(replies[0]).toContain('/incident reopen');
    expect(await stateOf(h)).toBe(before);
  });
});
