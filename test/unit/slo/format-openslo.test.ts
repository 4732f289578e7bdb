import { describe, expect, it } from 'vitest';
import { catalogOf, problemsOf, yaml } from './load.js';

const DAY = 86_400_000;

const source = (indent: string, query: string, type = 'Prometheus') => [`${indent}metricSource:`, `${indent}  type: ${type}`, `${indent}  spec:`, `${indent}    query: ${query}`];

const slo = (lines: { name?: string; metric: string[]; objectives?: string[]; window?: string[]; extra?: string[] }) =>
  yaml(
    'apiVersion: openslo/v1',
    'kind: SLO',
    'metadata:',
    `  name: ${lines.name ?? 'search-availability'}`,
    '  displayName: Search availability',
    '  labels:',
    '    team: [discovery-team, search-oncall]',
    'spec:',
    '  service: search',
    ...(lines.extra ?? []),
    '  indicator:',
    '    metadata: { name: good-searches }',
    '    spec:',
    '      ratioMetric:',
    '        counter: true',
    ...lines.metric,
    ...(lines.window ?? ['  timeWindow:', '    - duration: 28d', '      isRolling: true']),
    '  budgetingMethod: Occurrences',
    ...(lines.objectives ?? ['  objectives:', '    - displayName: Good', '      target: 0.999']),
  );

const GOOD_TOTAL = [
  '        good:',
  ...source('          ', 'sum(rate(ok_total[{{.window}}]))'),
  '        total:',
  ...source('          ', 'sum(rate(all_total[{{.window}}]))'),
];

describe('OpenSLO v1', () => {
  it('reads an SLO with an inline good/total ratio on Prometheus: service from spec.service, owner from labels, rolling window', () => {
    const catalog = catalogOf({ 'search.yaml': slo({ metric: GOOD_TOTAL }) });
    expect(catalog.slos).toEqual([
      {
        id: 'search/search-availability',
        service: 'search',
        name: 'search-availability',
        description: 'Search availability',
        target: 0.999,
        window: { text: '28d', ms: 28 * DAY },
        owner: 'discovery-team',
        sli: { kind: 'good-events', goodQuery: 'sum(rate(ok_total[{{.window}}]))', totalQuery: 'sum(rate(all_total[{{.window}}]))' },
        source: { file: 'search.yaml', format: 'openslo' },
      },
    ]);
  });

  it('reads bad/total, raw failure and raw success ratios, targetPercent, and makes one SLO per objective', () => {
    const bad = catalogOf({
      'a.yaml': slo({
        metric: ['        bad:', ...source('          ', 'errors[{{.window}}]'), '        total:', ...source('          ', 'all[{{.window}}]')],
        objectives: ['  objectives:', '    - displayName: Strict', '      targetPercent: 99.9', '    - target: 0.99'],
        window: [],
        extra: ['  description: Searches that work'],
      }),
    });
    expect(bad.slos.map((s) => [s.name, s.target, s.description, s.window.text, s.sli])).toEqual([
      ['search-availability-1', 0.999, 'Strict: Searches that work', '30d', { kind: 'events', errorQuery: 'errors[{{.window}}]', totalQuery: 'all[{{.window}}]' }],
      ['search-availability-2', 0.99, 'Searches that work', '30d', { kind: 'events', errorQuery: 'errors[{{.window}}]', totalQuery: 'all[{{.window}}]' }],
    ]);
    const raw = (rawType: string) => catalogOf({ 'a.yaml': slo({ metric: [`        rawType: ${rawType}`, '        raw:', ...source('          ', 'ratio[{{.window}}]')] }) }).slos[0]?.sli;
    expect(raw('failure')).toEqual({ kind: 'error-ratio', errorRatioQuery: 'ratio[{{.window}}]' });
    expect(raw('success')).toEqual({ kind: 'error-ratio', errorRatioQuery: '1 - (ratio[{{.window}}])' });
  });

  it('counts a metricSourceRef as Prometheus when a loaded DataSource of that type has that name, in any file', () => {
    const metric = ['        good:', '          metricSource:', '            metricSourceRef: prom', '            spec: { query: "ok[{{.window}}]" }', '        total:', ...source('          ', 'all[{{.window}}]')];
    const dataSource = yaml('apiVersion: openslo/v1', 'kind: DataSource', 'metadata: { name: prom }', 'spec: { type: Prometheus }');
    expect(catalogOf({ 'z-datasource.yaml': dataSource, 'a-slo.yaml': slo({ metric }) }).slos).toHaveLength(1);
    expect(problemsOf({ 'a-slo.yaml': slo({ metric }) })).toEqual([
      'a-slo.yaml: spec.indicator.spec.ratioMetric.good.metricSource.metricSourceRef: names no openslo/v1 DataSource in the SLO files; add it, or write type: Prometheus',
    ]);
    const datadog = yaml('apiVersion: openslo/v1', 'kind: DataSource', 'metadata: { name: prom }', 'spec: { type: Datadog }');
    expect(problemsOf({ 'd.yaml': datadog, 'a-slo.yaml': slo({ metric }) })).toEqual([
      'a-slo.yaml: spec.indicator.spec.ratioMetric.good.metricSource.metricSourceRef: "Datadog" is not measured here; only Prometheus sources are',
    ]);
  });

  it('lists every problem at once, each with file and path', () => {
    const problems = problemsOf({
      'slos/search.yaml': slo({
        name: '_Search',
        metric: ['        good:', ...source('          ', 'ok_total', 'Datadog'), '        bad:', ...source('          ', 'bad[{{.window}}]')],
        window: ['  timeWindow:', '    - duration: 1M', '      calendar: { startTime: 2020-01-21 12:30:00, timeZone: UTC }'],
        objectives: ['  objectives:', '    - target: 99.9', '    - targetPercent: "99,9%"', '    - displayName: none'],
      }),
    });
    expect(problems).toEqual([
      'slos/search.yaml: metadata.name: must be an SLO name of letters, digits, - _ or . (like checkout_availability)',
      'slos/search.yaml: spec.indicator.spec.ratioMetric.good.metricSource.spec.query: must use {{.window}} where the range goes, like rate(http_requests_total[{{.window}}])',
      'slos/search.yaml: spec.indicator.spec.ratioMetric.good.metricSource.type: "Datadog" is not measured here; only Prometheus sources are',
      'slos/search.yaml: spec.timeWindow[0].duration: "1M": months, quarters and years vary in length; write the window in days, like 30d',
      'slos/search.yaml: spec.objectives[0].target: 99.9 is not a fraction below 1; write 0.999 for 99.9% (or targetPercent: 99.9)',
      'slos/search.yaml: spec.objectives[1].targetPercent: "99,9%" is not a percentage (write it like 99.9%)',
      'slos/search.yaml: spec.objectives[2]: must give one of target (like 0.999) or targetPercent (like 99.9)',
    ]);
  });

  it('refuses what it cannot measure by name: indicatorRef, thresholdMetric, calendar windows, good with bad', () => {
    const byRef = yaml('apiVersion: openslo/v1', 'kind: SLO', 'metadata: { name: x }', 'spec:', '  service: s', '  indicatorRef: my-sli', '  objectives: [{ target: 0.99 }]');
    expect(problemsOf({ 'r.yaml': byRef })).toEqual(['r.yaml: spec.indicator: is required: write the indicator inline (indicatorRef is not read here)']);
    const threshold = yaml('apiVersion: openslo/v1', 'kind: SLO', 'metadata: { name: x }', 'spec:', '  service: s', '  indicator:', '    spec:', '      thresholdMetric: { metricSource: { type: Prometheus, spec: { query: q } } }', '  objectives: [{ target: 0.99 }]');
    expect(problemsOf({ 't.yaml': threshold })).toEqual(['t.yaml: spec.indicator.spec.thresholdMetric: only a ratioMetric indicator is measured here (good or bad over total, or raw)']);
    expect(problemsOf({ 'c.yaml': slo({ metric: GOOD_TOTAL, window: ['  timeWindow:', '    - duration: 30d', '      isRolling: false'] }) })).toEqual([
      'c.yaml: spec.timeWindow[0]: only rolling windows are measured here; write isRolling: true and no calendar',
    ]);
    const both = ['        good:', ...source('          ', 'ok[{{.window}}]'), '        bad:', ...source('          ', 'bad[{{.window}}]'), '        total:', ...source('          ', 'all[{{.window}}]')];
    expect(problemsOf({ 'b.yaml': slo({ metric: both }) })).toEqual(['b.yaml: spec.indicator.spec.ratioMetric.bad: cannot be used with good; give one of them']);
  });

  it('reads other kinds as documents that define no SLO, and names an unknown kind or version', () => {
    const service = yaml('apiVersion: openslo/v1', 'kind: Service', 'metadata: { name: search }', 'spec: { description: Search }');
    expect(catalogOf({ 'all.yaml': `${service}---\n${slo({ metric: GOOD_TOTAL })}` }).slos.map((s) => s.id)).toEqual(['search/search-availability']);
    expect(problemsOf({ 'k.yaml': yaml('apiVersion: openslo/v1', 'kind: Slo', 'metadata: { name: x }') })).toEqual([
      'k.yaml: kind: must be an OpenSLO kind: SLO, SLI, DataSource, Service, AlertPolicy, AlertCondition, AlertNotificationTarget',
    ]);
    expect(problemsOf({ 'v.yaml': yaml('apiVersion: openslo/v2alpha', 'kind: SLO', 'metadata: { name: x }') })).toEqual(['v.yaml: apiVersion: must be openslo/v1, the OpenSLO version read here']);
  });

  it('reads a document that is a list of OpenSLO objects, naming each item by its index', () => {
    const list = yaml('- apiVersion: openslo/v1', '  kind: Service', '  metadata: { name: search }', '- apiVersion: openslo/v1', '  kind: SLO', '  metadata: { name: x }', '  spec: { objectives: [{ target: 0.99 }] }');
    expect(problemsOf({ 'list.yaml': list })).toEqual([
      'list.yaml: [1].spec.service: is required',
      'list.yaml: [1].spec.indicator: is required: write the indicator inline (indicatorRef is not read here)',
    ]);
  });
});
