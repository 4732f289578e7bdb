import type { Incident, RoleHolder } from './model.js';
import type { Deps } from './ports.js';

export interface IncidentSummary {
  readonly incident: Incident;
  readonly roles: readonly RoleHolder[];
}

/** Open incidents, most severe first, then newest first. */
export function listOpenIncidents(deps: Deps): IncidentSummary[] {
  return deps.repos.incidents
    .listOpen()
    .sort((a, b) => a.severity.localeCompare(b.severity) || b.id - a.id)
    .map((incident) => ({ incident, roles: deps.repos.roles.current(incident.id) }));
}
