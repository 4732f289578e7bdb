import { describe, expect, it } from 'vitest';
import type { PagerDutyAnswer } from '../../../src/pagerduty/client.js';
import { meterPagerDutyEvent } from '../../../src/metrics/pagerduty.js';
import { pagerDutyEvents } from '../../../src/metrics/registry.js';

async function counted(outcome: string): Promise<number> {
  const { values } = await pagerDutyEvents.get();
  return values.find((v) => v.labels.action === 'trigger' && v.labels.outcome === outcome)?.value ?? 0;
}

/** What each answer adds to incident_bot_pagerduty_events_total{action="trigger"}, by outcome. */
async function outcomeOf(send: () => Promise<PagerDutyAnswer>): Promise<string[]> {
  const before = { accepted: await counted('accepted'), rejected: await counted('rejected'), error: await counted('error') };
  await meterPagerDutyEvent('trigger', send).catch(() => undefined);
  const moved: string[] = [];
  for (const [outcome, n] of Object.entries(before)) if ((await counted(outcome)) !== n) moved.push(outcome);
  return moved;
}

describe('PagerDuty events counted by outcome', () => {
  it('counts as rejected every answer the outbox gives up on at once, and as error what it sends again', async () => {
    expect(await outcomeOf(async () => ({ status: 202, body: undefined }))).toEqual(['accepted']);
    for (const status of [400, 401, 403, 404, 413]) expect(await outcomeOf(async () => ({ status, body: { message: 'no' } }))).toEqual(['rejected']);
    for (const status of [408, 429, 500, 503]) expect(await outcomeOf(async () => ({ status, body: undefined }))).toEqual(['error']);
    expect(await outcomeOf(() => Promise.reject(new Error('ECONNRESET')))).toEqual(['error']);
  });
});
