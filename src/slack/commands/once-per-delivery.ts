import type { Repositories } from '../../domain/ports.js';
import type { SlackServices } from '../services.js';

/** Thrown when a delivery's id is already recorded: another replica (or this one) applied it. */
export class AlreadyApplied extends Error {
  constructor(readonly deliveryId: string) {
    super(`delivery ${deliveryId} was already applied`);
  }
}

/**
 * The services with a store whose first transaction records `deliveryId`
 * (a slash command's or a form submission's trigger_id) before anything else it writes: the same
 * command delivered twice, to two replicas behind a load balancer that
 * retried, changes things once. Recorded in the verb's own transaction, so a
 * refusal (rolled back) is refused again on the second delivery, and a crash
 * before the commit leaves the second delivery free to apply it.
 */
export function oncePerDelivery(services: SlackServices, deliveryId: string, now: Date): SlackServices {
  const repos = services.deps.repos;
  let marked = false;
  const guarded: Repositories = {
    ...repos,
    transaction(fn) {
      if (marked) return repos.transaction(fn);
      marked = true;
      return repos.transaction(async (tx) => {
        if (!(await tx.events.markProcessed(deliveryId, now))) throw new AlreadyApplied(deliveryId);
        return fn(tx);
      });
    },
  };
  return { ...services, deps: { ...services.deps, repos: guarded } };
}
