import { describe, expect, it } from 'vitest';
import { catalogOf, problemsOf, yaml } from './load.js';

const DAY = 86_400_000;
const EVENTS = ['    sli:', '      error_query: sum(rate(errors[{{.window}}]))', '      total_query: sum(rate(requests[{{.window}}]))'];

describe('the plain format', () => {
  it('reads service, owner, each SLO, and the three ways to write an SLI', () => {
    const catalog = catalogOf({
      'slos/checkout.yaml': yaml(
        'service: checkout-api',
        'owner: payments-team',
        'slos:',
        '  - name: availability',
        '    description: Checkouts that succeed',
        '    target: 99.9%',
        '    window: 30d',
        ...EVENTS,
        '  - name: latency',
        '    target: 99.5',
        '    window: 7d',
        '    owner: perf-team',
        '    sli:',
        '      error_ratio_query: 1 - avg_over_time(fast_ratio[{{ .window }}])',
        '  - name: receipts',
        '    target: "99"',
        '    sli:',
        '      numerator: receipts sent late',
        '      denominator: payments completed',
      ),
    });
    expect(catalog.slos).toEqual([
      {
        id: 'checkout-api/availability',
        service: 'checkout-api',
        name: 'availability',
        description: 'Checkouts that succeed',
        target: 0.999,
        window: { text: '30d', ms: 30 * DAY },
        owner: 'payments-team',
        sli: { kind: 'events', errorQuery: 'sum(rate(errors[{{.window}}]))', totalQuery: 'sum(rate(requests[{{.window}}]))' },
        source: { file: 'slos/checkout.yaml', format: 'plain' },
      },
      {
        id: 'checkout-api/latency',
        service: 'checkout-api',
        name: 'latency',
        description: undefined,
        target: 0.995,
        window: { text: '7d', ms: 7 * DAY },
        owner: 'perf-team',
        sli: { kind: 'error-ratio', errorRatioQuery: '1 - avg_over_time(fast_ratio[{{ .window }}])' },
        source: { file: 'slos/checkout.yaml', format: 'plain' },
      },
      {
        id: 'checkout-api/receipts',
        service: 'checkout-api',
        name: 'receipts',
        description: undefined,
        target: 0.99,
        // No window written: 30 days.
        window: { text: '30d', ms: 30 * DAY },
        owner: 'payments-team',
        sli: { kind: 'text', numerator: 'receipts sent late', denominator: 'payments completed' },
        source: { file: 'slos/checkout.yaml', format: 'plain' },
      },
    ]);
  });

  it('names the file and path of the issue example: "99,9%" is not a percentage', () => {
    const problems = problemsOf({
      'slos/checkout.yaml': yaml('service: checkout-api', 'slos:', '  - name: a', '    target: 99.9%', ...EVENTS, '  - name: b', '    target: "99,9%"', ...EVENTS),
    });
    expect(problems).toEqual(['slos/checkout.yaml: slos[1].target: "99,9%" is not a percentage (write it like 99.9%)']);
  });

  it('lists every problem of the file at once, each with its path', () => {
    const problems = problemsOf({
      'bad.yaml': yaml(
        'service: "checkout api"',
        'slos:',
        '  - name: a',
        '    target: 100%',
        '    window: 1 month',
        '    sli:',
        '      error_query: sum(rate(errors[5m]))',
        '  - name: b',
        '    target: 0.999',
        '    windw: 7d',
        '    sli:',
        '      error_ratio_query: x[{{.window}}]',
        '      numerator: words',
        '  - target: 99',
        '    window: 3M',
        '    sli: {}',
        'owner: [a, b]',
      ),
    });
    expect(problems).toEqual([
      'bad.yaml: service: must be a service name of letters, digits, - _ or . (like checkout-api)',
      'bad.yaml: owner: must be text',
      'bad.yaml: slos[0].target: 100% leaves no error budget; use a target below 100%, like 99.9%',
      'bad.yaml: slos[0].window: "1 month" is not a window (write a number and m, h, d or w, like 30d)',
      'bad.yaml: slos[0].sli.error_query: must use {{.window}} where the range goes, like rate(http_requests_total[{{.window}}])',
      'bad.yaml: slos[1].target: 0.999 reads as 0.999%; targets here are percentages, so write 99.9% for a fraction of 0.999',
      'bad.yaml: slos[1].sli.numerator: is only for an SLI without queries; put the explanation in the SLO description',
      'bad.yaml: slos[1].windw: is not a key of an SLO (known: name, description, target, window, owner, sli)',
      'bad.yaml: slos[2].name: is required',
      'bad.yaml: slos[2].window: "3M": months, quarters and years vary in length; write the window in days, like 30d',
      'bad.yaml: slos[2].sli: must give error_query and total_query, or error_ratio_query, or numerator and denominator in words',
    ]);
  });

  it('asks for the other half of a pair, and refuses mixing query forms', () => {
    expect(problemsOf({ 'a.yaml': yaml('service: s', 'slos:', '  - name: a', '    target: 99', '    sli:', '      error_query: e[{{.window}}]') })).toEqual([
      'a.yaml: slos[0].sli.total_query: is required with error_query',
    ]);
    expect(problemsOf({ 'a.yaml': yaml('service: s', 'slos:', '  - name: a', '    target: 99', '    sli:', '      denominator: all') })).toEqual([
      'a.yaml: slos[0].sli.numerator: is required with denominator',
    ]);
    expect(
      problemsOf({ 'a.yaml': yaml('service: s', 'slos:', '  - name: a', '    target: 99', '    sli:', '      error_query: e[{{.window}}]', '      total_query: t[{{.window}}]', '      error_ratio_query: r[{{.window}}]') }),
    ).toEqual(['a.yaml: slos[0].sli.error_ratio_query: give either error_query and total_query, or error_ratio_query, not both']);
  });

  it('refuses a file with no SLOs, and SLOs with no sli', () => {
    expect(problemsOf({ 'a.yaml': yaml('service: s', 'slos: []') })).toEqual(['a.yaml: slos: must not be an empty list']);
    expect(problemsOf({ 'a.yaml': yaml('service: s', 'slos:', '  - name: a', '    target: 99') })).toEqual(['a.yaml: slos[0].sli: is required']);
    expect(problemsOf({ 'a.yaml': yaml('slos:', '  - name: a', '    target: 99', '    sli: { error_ratio_query: "r[{{.window}}]" }') })).toEqual(['a.yaml: service: is required']);
  });

  it('takes a blank description or owner as none', () => {
    const [slo] = catalogOf({ 'a.yaml': yaml('service: s', 'owner: ""', 'slos:', '  - name: a', '    description:', '    target: 99', '    sli: { error_ratio_query: "r[{{.window}}]" }') }).slos;
    expect(slo).toMatchObject({ description: undefined, owner: undefined });
  });
});
