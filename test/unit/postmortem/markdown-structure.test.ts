import { describe, expect, it } from 'vitest';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import { entry, postmortemData, section } from './fixture.js';

/** The headings of a draft, in order: what a reviewer navigates by. */
const headings = (markdown: string) => markdown.split('\n').filter((l) => /^#{1,6} /.test(l));
/** Lines that start a block other than a paragraph, list item or table row the draft writes itself. */
const strayBlocks = (text: string) => text.split('\n').filter((l) => /^(?:#{1,6} |> |<|\d+[.)] |[*+] )/.test(l));

const DECLARED = entry('declared', 0, 'Declared SEV2 (major degradation) by <@U0ALICE>: x');

describe('recorded text in the postmortem keeps to its place in the document', () => {
  const clean = headings(renderPostmortem(postmortemData()));

  it('a multi-line resolve summary, description or status update adds no heading, quote or list', () => {
    const evil = 'Rolled back\n## Root cause\nIt was Bob\n> quoted\n- a list\n1. numbered';
    const markdown = renderPostmortem(
      postmortemData({
        incident: { resolveSummary: evil, description: evil },
        timeline: [DECLARED, entry('status_update', 5, `Identified: ${evil}`), entry('status_update', 9, `Monitoring: ${evil}`), entry('resolved', 47, 'Resolved')],
      }),
    );
    expect(headings(markdown)).toEqual(clean);
    for (const name of ['Summary', 'Trigger', 'Resolution']) expect(strayBlocks(section(markdown, name))).toEqual([]);
    expect(section(markdown, 'Resolution')).toContain('Rolled back ## Root cause It was Bob');
  });

  it('a title that starts like a heading, a list or a quote stays the first words of the Summary paragraph', () => {
    for (const title of ['# Checkout down', '- checkout down', '1. checkout down', '> checkout down', '<!-- checkout', '+ checkout', '* checkout']) {
      const summary = section(renderPostmortem(postmortemData({ incident: { title } })), 'Summary');
      const first = summary.split('\n').find((l) => l !== '')!;
      expect(strayBlocks(first), title).toEqual([]);
      expect(first, title).toMatch(/^(?:\\|\d+\\)/);
    }
  });
});
