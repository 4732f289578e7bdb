import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../src/domain/model.js';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import { postmortemData } from './fixture.js';

const DECLARED = new Date('2026-11-16T23:40:00Z');
const RESOLVED = new Date('2026-11-16T23:55:00Z');

function timelineEntry(id: number, kind: TimelineEntry['kind'], occurredAt: Date, text: string): TimelineEntry {
  return { id, incidentId: 12, kind, text, actorId: 'U0BOB', occurredAt, messageTs: null, permalink: null };
}

describe('the postmortem timeline over midnight', () => {
  it('dates its rows when an entry falls on another day than the declaration and the resolve', () => {
    // Resolved before midnight; the customer follow-up, pinned afterwards, was posted after it.
    const data = postmortemData({
      incident: { declaredAt: DECLARED, resolvedAt: RESOLVED },
      timeline: [
        timelineEntry(1, 'declared', DECLARED, 'Declared SEV2 (major degradation) by <@U0ALICE>: Checkout errors spiking'),
        timelineEntry(2, 'resolved', RESOLVED, 'Resolved by <@U0ALICE>: Rolled back deploy 4812'),
        { ...timelineEntry(3, 'pinned_message', new Date('2026-11-17T00:20:00Z'), 'Customer follow-up sent'), messageTs: '1794874800.000100' },
      ],
    });
    const rows = renderPostmortem(data).split('\n').filter((l) => /^\| \d/.test(l) && l.includes('|'));
    const timelineRows = rows.filter((l) => l.includes('Declared SEV2') || l.includes('Resolved by') || l.includes('Customer follow-up'));
    expect(timelineRows.map((l) => l.split(' | ')[0])).toEqual(['| 2026-11-16 23:40', '| 2026-11-16 23:55', '| 2026-11-17 00:20']);
  });
});
