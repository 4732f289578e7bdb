import { outboxDelivery, outboxGivenUp, secondsBetween } from './registry.js';

/** A job done: the time from its creation (the decision that needed it) to now. */
export function observeJobDone(job: { readonly kind: string; readonly createdAt: Date }, now: Date): void {
  outboxDelivery.observe({ kind: job.kind }, secondsBetween(job.createdAt, now));
}

/** A job given up: it will not be delivered. */
export function countJobGivenUp(job: { readonly kind: string }): void {
  outboxGivenUp.inc({ kind: job.kind });
}
