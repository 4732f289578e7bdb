/** What the contract suites declare and the time they declare it at. */
import type { Store } from '../../../src/db/store.js';
import type { Incident } from '../../../src/domain/model.js';
import type { NewIncident } from '../../../src/domain/ports.js';

export const AT = new Date('2026-11-22T10:00:00.000Z');

/** `ms` after AT. */
export const later = (ms: number): Date => new Date(AT.getTime() + ms);

export function newIncident(overrides: Partial<NewIncident> = {}): NewIncident {
  return {
    title: 'Checkout errors',
    description: null,
    severity: 'sev2',
    isPrivate: false,
    declaredBy: 'U0ALICE',
    declaredAt: AT,
    originChannelId: null,
    service: null,
    ...overrides,
  };
}

export function declare(store: Store, overrides: Partial<NewIncident> = {}): Promise<Incident> {
  return store.incidents.create(newIncident(overrides));
}
