import type { StoreDecorator } from '../db/store.js';
import type { Incident } from '../domain/model.js';
import { incidentsDeclared, secondsBetween, timeToAcknowledge, timeToResolve } from './registry.js';

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
export const meterIncidentRecords: StoreDecorator = (repos, afterCommit) => {
  const { incidents } = repos;
  const create = incidents.create;
  incidents.create = async (input) => {
    const incident = await create(input);
    afterCommit(() => incidentsDeclared.inc({ severity: incident.severity, source: input.declaredVia ?? 'command' }));
    return incident;
  };
  const since = async (id: number, observe: (incident: Incident) => void) => {
    const incident = await incidents.get(id);
    if (incident) afterCommit(() => observe(incident));
  };
  const recordAcknowledged = incidents.recordAcknowledged;
  incidents.recordAcknowledged = async (id, at) => {
    const first = await recordAcknowledged(id, at);
    if (first) await since(id, (i) => timeToAcknowledge.observe({ severity: i.severity }, secondsBetween(i.declaredAt, at)));
    return first;
  };
  const markResolved = incidents.markResolved;
  incidents.markResolved = async (id, now, summary) => {
    const resolved = await markResolved(id, now, summary);
    if (resolved) await since(id, (i) => timeToResolve.observe({ severity: i.severity }, secondsBetween(i.declaredAt, now)));
    return resolved;
  };
};
