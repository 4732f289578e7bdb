import { describe, expect, it } from 'vitest';
import { catalogOf, problemsOf, yaml } from './load.js';

const DAY = 86_400_000;

const SLOTH = yaml(
  'version: "prometheus/v1"',
  'service: "payments"',
  'labels:',
  '  owner: "payments-team"',
  'slos:',
  '  - name: "requests-availability"',
  '    objective: 99.95',
  '    description: "Requests without a 5xx."',
  '    sli:',
  '      events:',
  '        error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))',
  '        total_query: sum(rate(http_requests_total[{{.window}}]))',
  '    alerting:',
  '      name: PaymentsErrors',
  '      page_alert: { labels: { severity: critical } }',
  '  - name: "freshness"',
  '    objective: 99',
  '    labels: { team: "settlement-team" }',
  '    sli:',
  '      raw:',
  '        error_ratio_query: 1 - avg_over_time(on_time_ratio[{{ .window }}])',
);

describe("Sloth's prometheus/v1 format", () => {
  it('reads service, objectives, events and raw SLIs, owners from labels, and a 30-day window', () => {
    const catalog = catalogOf({ 'sloth.yaml': SLOTH });
    expect(catalog.slos).toEqual([
      {
        id: 'payments/requests-availability',
        service: 'payments',
        name: 'requests-availability',
        description: 'Requests without a 5xx.',
        target: 0.9995,
        window: { text: '30d', ms: 30 * DAY },
        owner: 'payments-team',
        sli: { kind: 'events', errorQuery: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))', totalQuery: 'sum(rate(http_requests_total[{{.window}}]))' },
        source: { file: 'sloth.yaml', format: 'sloth' },
      },
      {
        id: 'payments/freshness',
        service: 'payments',
        name: 'freshness',
        description: undefined,
        target: 0.99,
        window: { text: '30d', ms: 30 * DAY },
        // The SLO's own labels come before the file's.
        owner: 'settlement-team',
        sli: { kind: 'error-ratio', errorRatioQuery: '1 - avg_over_time(on_time_ratio[{{ .window }}])' },
        source: { file: 'sloth.yaml', format: 'sloth' },
      },
    ]);
  });

  it("takes the window Sloth would be given (its --default-slo-period)", () => {
    const catalog = catalogOf({ 'sloth.yaml': SLOTH }, { slothWindow: '28d' });
    expect(catalog.slos.map((s) => s.window)).toEqual([
      { text: '28d', ms: 28 * DAY },
      { text: '28d', ms: 28 * DAY },
    ]);
    expect(problemsOf({ 'sloth.yaml': SLOTH }, ['sloth.yaml'], { slothWindow: 'a month' })).toEqual([
      'the Sloth window "a month" is not a window (write a number and m, h, d or w, like 30d)',
    ]);
  });

  it('lists every problem at once, each with file and path', () => {
    const problems = problemsOf({
      'slos/sloth.yaml': yaml(
        'version: "prometheus/v1"',
        'service: payments',
        'slos:',
        '  - name: a',
        '    objective: "99,9"',
        '    sli:',
        '      events:',
        '        error_query: sum(rate(errors[5m]))',
        '  - name: b',
        '    objective: 100',
        '    sli:',
        '      plugin:',
        '        id: sloth-common/availability',
        '  - name: c',
        '    sli:',
        '      events: { error_query: "e[{{.window}}]", total_query: "t[{{.window}}]" }',
        '      raw: { error_ratio_query: "r[{{.window}}]" }',
      ),
    });
    expect(problems).toEqual([
      'slos/sloth.yaml: slos[0].objective: "99,9" is not a percentage (write it like 99.9%)',
      'slos/sloth.yaml: slos[0].sli.events.error_query: must use {{.window}} where the range goes, like rate(http_requests_total[{{.window}}])',
      'slos/sloth.yaml: slos[0].sli.events.total_query: is required',
      'slos/sloth.yaml: slos[1].objective: 100 leaves no error budget; use a target below 100%, like 99.9%',
      'slos/sloth.yaml: slos[1].sli.plugin: SLI plugins are not read here; write the queries as sli.events (error_query, total_query) or sli.raw (error_ratio_query)',
      'slos/sloth.yaml: slos[2].objective: is required',
      'slos/sloth.yaml: slos[2].sli: must hold exactly one of events (error_query, total_query) or raw (error_ratio_query)',
    ]);
  });

  it('is recognised by its version key, and a version other than prometheus/v1 is named', () => {
    expect(problemsOf({ 's.yaml': yaml('version: prometheus/v2', 'service: p', 'slos:', '  - name: a', '    objective: 99', '    sli: { raw: { error_ratio_query: "r[{{.window}}]" } }') })).toEqual([
      's.yaml: version: must be "prometheus/v1", the Sloth spec version read here',
    ]);
  });
});
