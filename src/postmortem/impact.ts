/**
 * The Impact section: when users were hurt against when the team knew, with
 * the durations between, each defined in words under the table. What the bot
 * does not know (no impact start recorded, no acknowledgement) is **[to fill]**.
 */
import { duration, minutesBetween } from '../domain/time.js';
import type { PostmortemData } from './data.js';
import { cell, TO_FILL, utc } from './markdown.js';

/** `15 minutes`, or how far the other way when `to` came first (`none: declared 5 minutes before the impact began`). */
function span(from: Date, to: Date, reversed: (howLong: string) => string): string {
  const minutes = minutesBetween(from, to);
  return minutes >= 0 ? duration(minutes) : `none: ${reversed(duration(-minutes))}`;
}

/** Without alerts the bot knows no detection but the declaration; with them, the first alert received. */
const DETECT_DEFINITION = '_Time to detect: from the start of impact to its first detection, which the bot knows as the declaration. ';
const DETECT_BY_ALERT_DEFINITION = '_Time to detect: from the start of impact to its first detection: the first alert received, or the declaration if that came first. ';

export const IMPACT_DEFINITIONS =
  DETECT_DEFINITION +
  'Time to declare: from the start of impact to the declaration. ' +
  'Time to acknowledge: from the declaration to the first acknowledgement of a page. ' +
  'Time to resolve: from the start of impact (the declaration, when no start was recorded) to the resolve._';

export function impactSection(data: PostmortemData): string[] {
  const { incident, impact } = data;
  const resolved = incident.resolvedAt;
  const acked = incident.acknowledgedAt;
  const noStart = `${TO_FILL} (no impact start recorded: \`/incident impact started <time>\` records it)`;
  const out = ['## Impact', '', '| | |', '|---|---|'];

  out.push(`| Impact started | ${impact.startRecorded ? utc(impact.start) : noStart} |`);
  // Only when alerts came: without them the declaration is the detection, and a row of [to fill] would say nothing.
  const alerted = data.firstAlertReceivedAt;
  if (alerted) out.push(`| Detected (first alert received) | ${utc(alerted)} |`);
  out.push(`| Declared | ${utc(incident.declaredAt)} |`);
  out.push(`| Acknowledged | ${acked ? utc(acked) : `${TO_FILL} (no page acknowledgement recorded)`} |`);
  if (impact.endRecorded && impact.end) out.push(`| Impact ended | ${utc(impact.end)} |`);
  out.push(`| Resolved | ${resolved ? utc(resolved) : '_ongoing_'} |`);

  // A person who declared before any alert came detected it first: detection is the earlier of the two.
  const detectedAt = alerted && alerted < incident.declaredAt ? alerted : incident.declaredAt;
  const detectedBy = detectedAt === alerted ? 'alerted' : 'declared';
  const toDetect = impact.startRecorded ? span(impact.start, detectedAt, (d) => `${detectedBy} ${d} before the impact began`) : TO_FILL;
  const toDeclare = impact.startRecorded ? span(impact.start, incident.declaredAt, (d) => `declared ${d} before the impact began`) : TO_FILL;
  out.push(`| Time to detect | ${toDetect} |`);
  out.push(`| Time to declare | ${toDeclare} |`);
  out.push(`| Time to acknowledge | ${acked ? span(incident.declaredAt, acked, (d) => `acknowledged ${d} before the declaration`) : TO_FILL} |`);
  // Resolve is measured from the impact when it is known, so a slow declaration shows in it.
  const toResolve = resolved
    ? `${duration(minutesBetween(impact.start, resolved))}${impact.startRecorded ? '' : ' (from the declaration: no impact start recorded)'}`
    : '_ongoing_';
  out.push(`| Time to resolve | ${toResolve} |`);
  // The duration of the impact differs from time to resolve only when its end was recorded: said once otherwise.
  if (impact.endRecorded && impact.end) out.push(`| Impact lasted | ${duration(minutesBetween(impact.start, impact.end))} |`);

  out.push(`| What was affected | ${incident.description ? cell(incident.description) : TO_FILL} |`);
  out.push(`| Users affected | ${TO_FILL} |`);
  out.push(`| Revenue impact | ${TO_FILL} |`, '');
  out.push(alerted ? IMPACT_DEFINITIONS.replace(DETECT_DEFINITION, DETECT_BY_ALERT_DEFINITION) : IMPACT_DEFINITIONS, '');
  return out;
}
