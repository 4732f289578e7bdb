import type { Store } from '../db/repositories.js';
import type { Incident } from '../domain/model.js';
import { incidentsDeclared, secondsBetween, timeToAcknowledge, timeToResolve } from './registry.js';

type Observation = () => void;

/**
 * Counts declarations, acknowledgements and resolves where they are written:
 * at the repository, whichever adapter or job made them (a command, a form,
 * a button, an alert in the outbox thread, a PagerDuty webhook), and only
 * once the transaction that wrote them has committed. A verb that throws
 * after its write (a refusal, a conflict) rolls the write back, and its
 * observation goes with it; a nested transaction (a savepoint) that throws
 * drops only its own.
 *
 * The figures come from the recorded timestamps: the declaration's, and the
 * acknowledgement's (PagerDuty's time) or the resolve's.
 */
export function meterIncidentRecords(store: Store): void {
  const open: Observation[][] = [];
  const whenCommitted = (observe: Observation) => {
    const current = open.at(-1);
    if (current) current.push(observe);
    else observe();
  };

  const transaction = store.transaction;
  store.transaction = <T>(fn: () => T): T => {
    const mine: Observation[] = [];
    open.push(mine);
    let result: T;
    try {
      result = transaction(fn);
    } finally {
      open.pop();
    }
    const outer = open.at(-1);
    if (outer) outer.push(...mine);
    else for (const observe of mine) observe();
    return result;
  };

  const { incidents } = store;
  const create = incidents.create;
  incidents.create = (input) => {
    const incident = create(input);
    whenCommitted(() => incidentsDeclared.inc({ severity: incident.severity, source: input.declaredVia ?? 'command' }));
    return incident;
  };
  const since = (id: number, observe: (incident: Incident) => void) => {
    const incident = incidents.get(id);
    if (incident) whenCommitted(() => observe(incident));
  };
  const recordAcknowledged = incidents.recordAcknowledged;
  incidents.recordAcknowledged = (id, at) => {
    const first = recordAcknowledged(id, at);
    if (first) since(id, (i) => timeToAcknowledge.observe({ severity: i.severity }, secondsBetween(i.declaredAt, at)));
    return first;
  };
  const markResolved = incidents.markResolved;
  incidents.markResolved = (id, now, summary) => {
    const resolved = markResolved(id, now, summary);
    if (resolved) since(id, (i) => timeToResolve.observe({ severity: i.severity }, secondsBetween(i.declaredAt, now)));
    return resolved;
  };
}
