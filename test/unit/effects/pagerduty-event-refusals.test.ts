import { describe, expect, it } from 'vitest';
import type { ClaimedJob } from '../../../src/db/outbox.repo.js';
import { declareIncident } from '../../../src/domain/declare.js';
import type { EffectContext } from '../../../src/effects/context.js';
import { isTransient } from '../../../src/effects/failures.js';
import { sendPagerDutyEvent } from '../../../src/effects/pagerduty-event.js';
import type { PagerDutyAnswer } from '../../../src/pagerduty/client.js';
import { memoryDeps } from '../../support/memory-store.js';

type EventJob = ClaimedJob & { kind: 'pagerduty.event' };

/** A declared SEV1 with its channel, its page recorded, and PagerDuty answering `answer` to every event. */
async function world(answer: PagerDutyAnswer) {
  const deps = { ...memoryDeps(), paging: { services: ['default'], pageSeverities: ['sev1' as const] } };
  await declareIncident(deps, { type: 'slack', userId: 'U0ALICE', teamId: 'T1' }, { severity: 'sev1', title: 'Checkout down' });
  await deps.store.incidents.recordChannel(1, 'C1', 'inc-1');
  const [page] = await deps.store.pages.forIncident(1);
  const sent: unknown[] = [];
  const ctx = {
    store: deps.store,
    clock: deps.clock,
    pagerduty: { routingKey: () => 'R0DEFAULTKEY0000000000000000000', send: async (event: unknown) => (sent.push(event), answer) },
  } as unknown as EffectContext;
  const job = (action: 'trigger' | 'resolve') =>
    ({ id: 7, kind: 'pagerduty.event', incidentId: 1, attempts: 1, createdAt: deps.clock.now(), payload: { action, service: 'default', dedupKey: page!.dedupKey, message: null } }) as unknown as EventJob;
  const failures = async () =>
    (await deps.store.outbox.list())
      .filter((j) => j.kind === 'slack.post')
      .map((j) => (j.payload as { notice: { type: string; error?: string } }).notice)
      .filter((n) => n.type === 'page_failed')
      .map((n) => n.error);
  return { ctx, job, failures, sent };
}

const refusals: [number, PagerDutyAnswer['body'], RegExp][] = [
  [401, undefined, /^PagerDuty answered 401 \(.*PAGERDUTY_EVENTS_URL.*routing key\)$/],
  [403, { message: 'Forbidden' }, /^PagerDuty answered 403: Forbidden \(.*PAGERDUTY_EVENTS_URL/],
  [404, undefined, /^PagerDuty answered 404 \(PAGERDUTY_EVENTS_URL does not lead to the Events API v2/],
  [413, { message: 'Request Entity Too Large' }, /^PagerDuty answered 413: Request Entity Too Large \(the event is over PagerDuty's 512 KB limit\)$/],
  [422, undefined, /^PagerDuty answered 422$/],
];

describe('PagerDuty answers other than 202, 400, 429 and 5xx', () => {
  it.each(refusals)('gives a page answered %i up at once and says why in the channel', async (status, body, said) => {
    const { ctx, job, failures, sent } = await world({ status, body });
    await expect(sendPagerDutyEvent(ctx, job('trigger'))).resolves.toBeUndefined();
    expect(sent).toHaveLength(1);
    const [error] = await failures();
    expect(error).toMatch(said);
  });

  it('says a refused resolve left the PagerDuty incident to resolve there', async () => {
    const { ctx, job, failures } = await world({ status: 404, body: undefined });
    await sendPagerDutyEvent(ctx, job('resolve'));
    expect(await failures()).toEqual([expect.stringMatching(/^PagerDuty was not told the incident is resolved, so resolve it there: PagerDuty answered 404/)]);
  });

  it.each([408, 429, 500, 502, 503])('retries %i, saying nothing yet', async (status) => {
    const { ctx, job, failures } = await world({ status, body: undefined });
    const error = await sendPagerDutyEvent(ctx, job('trigger')).catch((e: unknown) => e);
    expect(isTransient(error)).toBe(true);
    expect(String(error)).toContain(`PagerDuty answered ${status}`);
    expect(await failures()).toEqual([]);
  });
});
