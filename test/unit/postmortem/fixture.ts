import type { Incident, TimelineEntry, TimelineKind } from '../../../src/domain/model.js';
import type { StoredSloFigures } from '../../../src/domain/slo-figures.js';
import { impactWindow, type PostmortemData, type PostmortemSloSettings } from '../../../src/postmortem/data.js';
import { DEFAULT_ERROR_BUDGET_POLICY } from '../../../src/slo/policy.js';

export const T0 = new Date('2026-11-16T10:00:00Z');
export const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let nextId = 1;
export function entry(kind: TimelineKind, minutes: number, text: string, actorId: string | null = 'U0ALICE'): TimelineEntry {
  return { id: nextId++, incidentId: 12, kind, text, actorId, occurredAt: at(minutes), messageTs: null, permalink: null };
}

/** A resolved INC-12, declared SEV2 by U0ALICE at 10:00 UTC and resolved 47 minutes later; override what a test is about. */
export function postmortemData(
  overrides: {
    incident?: Partial<Incident>;
    timeline?: TimelineEntry[];
    firstPageDeliveredAt?: Date | null;
    firstAlertReceivedAt?: Date | null;
    sloFigures?: StoredSloFigures[];
    slo?: Partial<PostmortemSloSettings>;
  } = {},
): PostmortemData {
  const incident: Incident = {
    id: 12,
    title: 'Checkout errors spiking',
    description: null,
    severity: 'sev2',
    status: 'resolved',
    isPrivate: false,
    declaredBy: 'U0ALICE',
    declaredAt: T0,
    resolvedAt: at(47),
    acknowledgedAt: null,
    resolveSummary: 'Rolled back deploy 4812',
    oncallUserIds: [],
    channelId: 'C0INC12',
    channelName: 'inc-12-checkout-errors-spiking',
    headerTs: null,
    service: null,
    impactStartedAt: null,
    impactEndedAt: null,
    ...overrides.incident,
  };
  const timeline = overrides.timeline ?? [
    entry('declared', 0, 'Declared SEV2 (major degradation) by <@U0ALICE>: Checkout errors spiking'),
    entry('resolved', 47, 'Resolved by <@U0ALICE>: Rolled back deploy 4812'),
  ];
  return {
    incident,
    timeline,
    roles: [{ role: 'ic', userId: 'U0ALICE', assignedAt: T0, endedAt: null }],
    actions: [],
    firstPageDeliveredAt: overrides.firstPageDeliveredAt ?? null,
    firstAlertReceivedAt: overrides.firstAlertReceivedAt ?? null,
    impact: impactWindow(incident),
    sloFigures: overrides.sloFigures ?? [],
    slo: { configured: true, serviceSlos: [], thresholds: DEFAULT_ERROR_BUDGET_POLICY.defaultThresholds, ...overrides.slo },
  };
}

/** The text of one `## ` section, heading excluded, up to the next one. */
export function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section "${heading}" in:\n${markdown}`);
  const body = markdown.slice(start + heading.length + 5);
  const end = body.indexOf('\n## ');
  return end < 0 ? body : body.slice(0, end);
}
