import type { PagerDutyAction, PagerDutyOutcome } from './names.js';
import { pageDelivery, pagerDutyEvents, secondsBetween } from './registry.js';

function outcomeOf(status: number): PagerDutyOutcome {
  if (status === 202) return 'accepted';
  return status === 400 ? 'rejected' : 'error';
}

/** Sends one Events API event through `send` and counts it by action and by what PagerDuty answered (or that it did not). */
export async function meterPagerDutyEvent<T extends { readonly status: number }>(action: PagerDutyAction, send: () => Promise<T>): Promise<T> {
  let outcome: PagerDutyOutcome = 'error';
  try {
    const answer = await send();
    outcome = outcomeOf(answer.status);
    return answer;
  } finally {
    pagerDutyEvents.inc({ action, outcome });
  }
}

/** A page PagerDuty accepted: the time from the decision to page (its job's creation) to the 202. */
export function observePageDelivered(decidedAt: Date, acceptedAt: Date): void {
  pageDelivery.observe(secondsBetween(decidedAt, acceptedAt));
}
