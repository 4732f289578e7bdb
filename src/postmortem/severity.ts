import { SEVERITIES, type Severity, type TimelineEntry } from '../domain/model.js';

/** One change of severity during the incident, as the timeline recorded it. */
export interface SeverityStep {
  readonly at: Date;
  readonly from: Severity;
  readonly to: Severity;
}

/** What a postmortem says about severity: the worst it got, where it started, and each change. */
export interface SeverityStory {
  readonly highest: Severity;
  readonly declared: Severity;
  readonly steps: readonly SeverityStep[];
}

const SEVERITY_WORD = /\b(SEV[1-3])\b/i;
// The bot writes every change as "Severity raised|lowered from SEVx to SEVy …" (src/domain/severity.ts).
const CHANGE = /\bfrom (SEV[1-3]) to (SEV[1-3])\b/i;

function asSeverity(word: string | undefined): Severity | undefined {
  const s = word?.toLowerCase();
  return SEVERITIES.find((v) => v === s);
}

/** sev1 is the most severe; SEVERITIES is ordered from most to least. */
function worse(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b;
}

/**
 * The severity history read from the timeline. A postmortem is about the worst
 * the incident got, so `highest` is reported, not the severity it ended at:
 * an incident lowered to SEV3 before resolving was still a SEV1.
 */
export function severityStory(current: Severity, timeline: readonly TimelineEntry[]): SeverityStory {
  const steps: SeverityStep[] = [];
  for (const e of timeline) {
    if (e.kind !== 'severity_changed') continue;
    const m = CHANGE.exec(e.text);
    const from = asSeverity(m?.[1]);
    const to = asSeverity(m?.[2]);
    if (from && to) steps.push({ at: e.occurredAt, from, to });
  }
  const declaredEntry = timeline.find((e) => e.kind === 'declared');
  const declared = steps[0]?.from ?? asSeverity(SEVERITY_WORD.exec(declaredEntry?.text ?? '')?.[1]) ?? current;
  const highest = [declared, current, ...steps.map((s) => s.to)].reduce(worse);
  return { highest, declared, steps };
}
