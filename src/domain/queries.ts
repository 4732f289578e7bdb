import type { Incident, RoleHolder } from './model.js';
import type { Deps } from './ports.js';

export interface IncidentSummary {
  readonly incident: Incident;
  readonly roles: readonly RoleHolder[];
}

/** Open incidents, most severe first, then newest first. */
export async function listOpenIncidents(deps: Deps): Promise<IncidentSummary[]> {
  const open = (await deps.repos.incidents.listOpen()).sort((a, b) => a.severity.localeCompare(b.severity) || b.id - a.id);
  const summaries: IncidentSummary[] = [];
  for (const incident of open) summaries.push({ incident, roles: await deps.repos.roles.current(incident.id) });
  return summaries;
}
