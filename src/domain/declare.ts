import { actorId, SEVERITY_MEANING, type Actor, type DeclaredVia, type Incident, type Severity } from './model.js';
import { pageOnSeverity } from './paging.js';
import type { Deps } from './ports.js';
import { validateTitle } from './command-parser.js';
import { requireKnownService } from './service-link.js';
import { cleanText } from './clean-text.js';

export interface DeclareInput {
  readonly severity: Severity;
  readonly title: string;
  readonly description?: string | null;
  readonly isPrivate?: boolean;
  /** Where it was declared from; told about failures when the channel cannot be made. */
  readonly originChannelId?: string | null;
  readonly responseUrl?: string | null;
  /** The affected service, as typed or picked; checked against the SLO catalog. */
  readonly service?: string | null;
  /**
   * False for an incident the system declares (an alert): nobody is IC until
   * someone takes it (the header's Take IC button). Default true: the person
   * who declares leads.
   */
  readonly assignDeclarerAsIc?: boolean;
  /** When users were first hurt, when known at declaration (an alert's startsAt). */
  readonly impactStartedAt?: Date | null;
  /** Which way it was declared (slash command, form, alert), for the reliability figures; default command. */
  readonly declaredVia?: DeclaredVia;
}

/** How a timeline names who did something: a person by mention, the bot's own jobs by name. */
export function actorText(id: string): string {
  return id.startsWith('system:') ? `the bot (${id.slice('system:'.length)})` : `<@${id}>`;
}

/**
 * Declares an incident: numbers it, makes the declarer Incident Commander,
 * records it on the timeline and queues the Slack set-up and announcement.
 * All of it in one transaction, so a crash leaves either nothing or an
 * incident whose set-up the outbox will finish.
 */
export async function declareIncident(deps: Deps, actor: Actor, input: DeclareInput): Promise<Incident> {
  const title = validateTitle(input.title);
  const service = input.service ? requireKnownService(deps.slo, input.service) : null;
  const now = deps.clock.now();
  const by = actorId(actor);
  const { repos } = deps;
  return repos.transaction(async (repos) => {
    const tx: Deps = { ...deps, repos };
    const incident = await repos.incidents.create({
      title,
      description: cleanText(input.description ?? '') || null,
      severity: input.severity,
      isPrivate: input.isPrivate ?? false,
      declaredBy: by,
      declaredAt: now,
      originChannelId: input.originChannelId ?? null,
      service,
      declaredVia: input.declaredVia ?? 'command',
    });
    if (input.assignDeclarerAsIc ?? true) await repos.roles.assign(incident.id, 'ic', by, by, now);
    if (input.impactStartedAt) await repos.incidents.setImpact(incident.id, 'started', input.impactStartedAt, now);
    await repos.timeline.add({
      incidentId: incident.id,
      kind: 'declared',
      text: `Declared ${input.severity.toUpperCase()} (${SEVERITY_MEANING[input.severity]}) by ${actorText(by)}: ${title}`,
      actorId: by,
      occurredAt: now,
    });
    await repos.outbox.enqueue(
      { kind: 'incident.setup', incidentId: incident.id, payload: { responseUrl: input.responseUrl ?? null } },
      now,
    );
    await repos.outbox.enqueue(
      { kind: 'slack.post', incidentId: incident.id, payload: { target: 'announce', notice: { type: 'declared' } } },
      now,
    );
    // What the incident costs its service's SLOs: computed from the outbox, shown in the header.
    if (service) await repos.outbox.enqueue({ kind: 'slo.refresh', incidentId: incident.id, payload: { final: false } }, now);
    await pageOnSeverity(tx, incident, null, by);
    return input.impactStartedAt ? (await repos.incidents.get(incident.id))! : incident;
  });
}
