import { describe, expect, it } from 'vitest';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import { askedText } from '../../../src/postmortem/slo-format.js';
import { postmortemData, section } from './fixture.js';
import { AVAILABILITY, measuredAvailability, stored } from './slo-fixture.js';

/** What CommonMark shows for a backslash escape of ASCII punctuation: the character itself. */
const shown = (markdown: string) => markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');

const QUERIES = [
  'instant query (sum(rate(http_requests_total{job="api",status=~"5\\\\d\\\\d"}[30d]))) / (sum(rate(http_requests_total{job="api"}[30d]))) at 2026-11-30T00:00:00Z',
  'instant query (sum(rate(a[1h]))*(60)*(60)) at 2026-11-30T00:00:00Z',
  'instant query (count({__name__=~"http_.*",path=`/a|b`}[1h])) at 2026-11-30T00:00:00Z',
];

describe('what Prometheus was asked, in the postmortem', () => {
  it('reads back as the PromQL that was asked: backslashes, stars, backticks and edge underscores escaped', () => {
    for (const q of QUERIES) {
      const text = askedText(q);
      expect(shown(text)).toBe(q);
      // Nothing left that Markdown would take as emphasis or code.
      expect(text.replace(/\\[!-/:-@[-`{-~]/g, '')).not.toMatch(/[*`\\]|(^|[^A-Za-z0-9])_|_([^A-Za-z0-9]|$)/);
    }
    // A name's own underscores need nothing, so the line stays plain.
    expect(askedText('sum(rate(http_requests_total[5m]))')).toBe('sum(rate(http_requests_total[5m]))');
  });

  it('is listed so in the SLO impact section', () => {
    const figures = { ...measuredAvailability(), asked: [QUERIES[0]!] };
    const markdown = renderPostmortem(postmortemData({ incident: { service: 'checkout-api' }, slo: { serviceSlos: [AVAILABILITY.name] }, sloFigures: [stored(figures)] }));
    const line = section(markdown, 'SLO impact').split('\n').find((l) => l.startsWith('- instant query'))!;
    expect(shown(line)).toBe(`- ${QUERIES[0]}`);
  });
});
