import { DomainError } from './errors.js';
import { incidentRef, type Incident, type Status } from './model.js';

/**
 * investigating → identified → monitoring → resolved. Between the active
 * statuses a team may move either way (a fix that did not hold sends
 * monitoring back to investigating), and repeating a status is a fresh update.
 * Resolved is left only by reopening.
 */
const ALLOWED: Record<Status, readonly Status[]> = {
  investigating: ['investigating', 'identified', 'monitoring', 'resolved'],
  identified: ['investigating', 'identified', 'monitoring', 'resolved'],
  monitoring: ['investigating', 'identified', 'monitoring', 'resolved'],
  resolved: ['investigating'],
};

export function canTransition(from: Status, to: Status): boolean {
  return ALLOWED[from].includes(to);
}

export function assertTransition(incident: Incident, to: Status): void {
  if (canTransition(incident.status, to)) return;
  if (incident.status === 'resolved') {
    throw new DomainError(
      'INVALID_TRANSITION',
      `${incidentRef(incident.id)} is resolved. Reopen it first with \`/incident reopen\`.`,
    );
  }
  throw new DomainError(
    'INVALID_TRANSITION',
    `${incidentRef(incident.id)} cannot go from ${incident.status} to ${to}.`,
  );
}

/** Changes other than status (roles, severity, notes) are for incidents still open. */
export function assertOpen(incident: Incident): void {
  if (incident.status === 'resolved') {
    throw new DomainError(
      'INVALID_TRANSITION',
      `${incidentRef(incident.id)} is resolved. Reopen it first with \`/incident reopen\`.`,
    );
  }
}
