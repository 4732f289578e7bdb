/**
 * The channel canvas is written once, with the first draft; after that it is
 * the team's, who were told to fill in the marked parts. A re-publish goes
 * beside it (a Markdown file), and only someone confirming "Replace the
 * canvas" in the incident's own channel writes a draft over it again.
 */
import type { Place } from './access.js';
import { DomainError } from './errors.js';
import { actorId, incidentRef, type Actor, type Incident } from './model.js';
import type { Deps } from './ports.js';
import { republishPostmortem } from './resolve.js';
import { USAGE } from './usage.js';

export interface Republished {
  readonly incident: Incident;
  readonly version: number;
  /** The draft version the channel canvas holds, when there is one: the new draft goes beside it. */
  readonly canvasVersion: number | null;
}

/** `/incident postmortem`: a new draft, and whether a canvas the team may have edited is there to be left alone. */
export async function republishBesideCanvas(deps: Deps, channelId: string): Promise<Republished> {
  return deps.repos.transaction(async (repos) => {
    const tx: Deps = { ...deps, repos };
    const { incident, version } = await republishPostmortem(tx, channelId);
    const stored = await tx.repos.postmortems.get(incident.id);
    return { incident, version, canvasVersion: stored?.canvasId ? (stored.canvasVersion ?? 1) : null };
  });
}

/**
 * "Replace the canvas" confirmed: queues the named draft version to be
 * written over the canvas. The incident is the one of the channel the button
 * was pressed in; a button naming any other incident, or a version that is no
 * longer the latest, changes nothing and says why.
 */
export async function replacePostmortemCanvas(deps: Deps, actor: Actor, pressedIn: Place, named: { incidentId: number; version: number }): Promise<{ incident: Incident; version: number }> {
  const { repos } = deps;
  return repos.transaction(async (repos) => {
    const tx: Deps = { ...deps, repos };
    const incident = pressedIn.channelId ? await repos.incidents.getByChannel(pressedIn.channelId) : undefined;
    if (!incident) {
      throw new DomainError('NOT_ALLOWED', `That button works only in the incident's channel, so nothing was changed. Run ${USAGE.postmortem} there.`);
    }
    const ref = incidentRef(incident.id);
    if (named.incidentId !== incident.id) {
      throw new DomainError(
        'NOT_ALLOWED',
        `That button names ${incidentRef(named.incidentId)}, but this is ${ref}'s channel, so nothing was changed. Run ${USAGE.postmortem} here for a button of ${ref}.`,
      );
    }
    const draft = await repos.postmortems.get(incident.id);
    if (!draft?.canvasId) {
      throw new DomainError('INVALID_TRANSITION', `${ref} has no channel canvas to replace (its draft was posted as a file), so nothing was changed.`);
    }
    if (draft.version !== named.version) {
      throw new DomainError(
        'CONFLICT',
        `That button is for version ${named.version} of the draft, but version ${draft.version} was written since, so the canvas was not changed. Use the button that came with version ${draft.version}.`,
      );
    }
    if (draft.canvasVersion === draft.version) {
      throw new DomainError('INVALID_TRANSITION', `The canvas of ${ref} already holds version ${draft.version} of the draft; nothing was changed.`);
    }
    await repos.outbox.enqueue(
      { kind: 'postmortem.publish', incidentId: incident.id, payload: { version: draft.version, replaceCanvas: { by: actorId(actor) } } },
      tx.clock.now(),
    );
    return { incident, version: draft.version };
  });
}
