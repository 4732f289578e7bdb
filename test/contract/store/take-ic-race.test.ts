/**
 * Two people press Take IC at the same moment: on PostgreSQL both
 * transactions read "nobody is IC" before either commits. Exactly one of
 * them becomes Incident Commander; the other is told who did, and nothing of
 * theirs is recorded. SQLite runs one transaction at a time, so there the
 * second press simply finds an IC already.
 */
import { describe, expect, it } from 'vitest';
import type { StoreDecorator } from '../../../src/db/store.js';
import { declareIncident } from '../../../src/domain/declare.js';
import type { Deps } from '../../../src/domain/ports.js';
import { takeIncidentCommand } from '../../../src/domain/alert-group-actions.js';
import { DEFAULT_ERROR_BUDGET_POLICY } from '../../../src/slo/policy.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { stores } from './stores.js';

/** Holds each of the first `n` reads of the current roles until all `n` have read. */
function rolesReadTogether(n: number): { decorator: StoreDecorator; arm(): void } {
  let armed = false;
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  const decorator: StoreDecorator = (repos) => {
    const current = repos.roles.current.bind(repos.roles);
    repos.roles.current = async (incidentId) => {
      const holders = await current(incidentId);
      if (armed && arrived < n) {
        arrived += 1;
        if (arrived === n) release();
        await all;
      }
      return holders;
    };
  };
  return { decorator, arm: () => (armed = true) };
}

describe.each(stores)('Take IC pressed twice at once ($name)', (factory) => {
  it('makes one of them IC and tells the other who won', async () => {
    const barrier = rolesReadTogether(2);
    const opened = await factory.open([barrier.decorator]);
    try {
      const deps: Deps = {
        repos: opened.store,
        clock: new FixedClock(),
        timeZone: 'UTC',
        paging: { services: [], pageSeverities: [] },
        slo: { catalog: { slos: [] }, policy: DEFAULT_ERROR_BUDGET_POLICY },
      };
      const system = { type: 'system', job: 'alert' } as const;
      const incident = await declareIncident(deps, system, { severity: 'sev2', title: 'Checkout failing', assignDeclarerAsIc: false });
      await opened.store.incidents.recordChannel(incident.id, 'C1', 'inc-1-checkout-failing');
      const before = (await opened.store.timeline.list(incident.id)).length;

      // On SQLite the second transaction starts only once the first ended: held reads would wait forever.
      if (factory.name === 'postgres') barrier.arm();
      const take = (userId: string) => takeIncidentCommand(deps, { type: 'slack', userId, teamId: 'T1' }, incident.id, { channelId: 'C1' });
      const results = await Promise.allSettled([take('U0BOB'), take('U0CAROL')]);

      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      const winner = (await opened.store.roles.current(incident.id)).map((h) => h.userId);
      expect(winner).toHaveLength(1);
      expect(String(lost[0]!.reason)).toContain(
        factory.name === 'postgres' ? `<@${winner[0]}> became Incident Commander of INC-1 just now` : `<@${winner[0]}> is already Incident Commander of INC-1`,
      );
      // One term in the history, one entry on the timeline: the loser's rolled back.
      expect(await opened.store.roles.history(incident.id)).toHaveLength(1);
      expect(await opened.store.timeline.list(incident.id)).toHaveLength(before + 1);
    } finally {
      await opened.close();
    }
  });
});
