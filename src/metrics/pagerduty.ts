import type { PagerDutyAnswer } from '../pagerduty/client.js';
import { judgeEventAnswer } from '../pagerduty/event-answer.js';
import type { PagerDutyAction, PagerDutyOutcome } from './names.js';
import { pageDelivery, pagerDutyEvents, secondsBetween } from './registry.js';

/** As the outbox judges the answer: a refusal (400, and any 4xx but 408 and 429) is not sent again. */
const OUTCOMES = { accepted: 'accepted', refused: 'rejected', unavailable: 'error' } as const satisfies Record<ReturnType<typeof judgeEventAnswer>['kind'], PagerDutyOutcome>;

/** Sends one Events API event through `send` and counts it by action and by what PagerDuty answered (or that it did not). */
export async function meterPagerDutyEvent<T extends PagerDutyAnswer>(action: PagerDutyAction, send: () => Promise<T>): Promise<T> {
  let outcome: PagerDutyOutcome = 'error';
  try {
    const answer = await send();
    outcome = OUTCOMES[judgeEventAnswer(answer).kind];
    return answer;
  } finally {
    pagerDutyEvents.inc({ action, outcome });
  }
}

/** A page PagerDuty accepted: the time from the decision to page (its job's creation) to the 202. */
export function observePageDelivered(decidedAt: Date, acceptedAt: Date): void {
  pageDelivery.observe(secondsBetween(decidedAt, acceptedAt));
}
