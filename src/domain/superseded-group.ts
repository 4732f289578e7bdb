/**
 * An alert group that fires again as a new problem (long after its incident
 * was resolved, or after a notice or merge offer nobody took up had resolved)
 * starts over under its real key, as if seen for the first time. Its earlier
 * episode keeps its rows under a key of its own, so the earlier incident keeps
 * its alerts, its "detected" time, its alert name and its runbook, and a
 * button of the earlier notice can tell that it is out of date.
 *
 * Alertmanager's group keys start with the route's matchers (`{}/{…}:{…}`),
 * never with this prefix; the group's id makes the key unique.
 */
const PREFIX = 'superseded:';

export function supersededGroupKey(groupId: number, groupKey: string): string {
  return `${PREFIX}${groupId}:${groupKey}`;
}

export function isSupersededGroupKey(groupKey: string): boolean {
  return groupKey.startsWith(PREFIX);
}
