import { describe, expect, it } from 'vitest';
import { findSlo, loadSloCatalog, slosForService, splitSloFilesSetting } from '../../../src/slo/catalog.js';
import { memoryFiles } from './memory-files.js';
import { catalogOf, problemsOf, yaml } from './load.js';

const plain = (service: string, ...names: string[]) =>
  yaml(`service: ${service}`, 'slos:', ...names.flatMap((name) => [`  - name: ${name}`, '    target: 99.9%', '    sli: { error_ratio_query: "r[{{.window}}]" }']));

describe('SLO_FILES', () => {
  it('is split on commas, blanks dropped', () => {
    expect(splitSloFilesSetting(' slos/ , extra/search.yaml,,')).toEqual(['slos/', 'extra/search.yaml']);
    expect(splitSloFilesSetting(undefined)).toEqual([]);
    expect(loadSloCatalog([]).catalog.slos).toEqual([]);
  });

  it('reads the .yaml and .yml files of a folder and its sub-folders, sorted, skipping dot-names and other files', () => {
    const files = memoryFiles({
      'slos/b.yaml': plain('b', 'one'),
      'slos/a.yml': plain('a', 'one'),
      'slos/team/c.YAML': plain('c', 'one'),
      'slos/README.md': '# not YAML',
      // What a Kubernetes ConfigMap mount holds beside the real names.
      'slos/..data/b.yaml': plain('b', 'one'),
      'slos/.hidden.yaml': 'not: [valid',
    });
    const { catalog, files: read } = loadSloCatalog(['slos'], { files });
    expect(read).toEqual(['slos/a.yml', 'slos/b.yaml', 'slos/team/c.YAML']);
    expect(catalog.slos.map((s) => s.id)).toEqual(['a/one', 'b/one', 'c/one']);
  });

  it('reads a file named twice, or named and inside a named folder, once', () => {
    const files = memoryFiles({ 'slos/a.yaml': plain('a', 'one') });
    expect(loadSloCatalog(['slos/a.yaml', 'slos', './slos/a.yaml'], { files }).files).toEqual(['slos/a.yaml']);
  });

  it('gathers every problem of every file before refusing, each named by file', () => {
    const problems = problemsOf(
      {
        'slos/a.yaml': yaml('service: a', 'slos:', '  - name: x', '    target: "99,9%"', '    sli: { error_ratio_query: "r[{{.window}}]" }'),
        'slos/b.yaml': 'service: b\nslos: [\n',
        'slos/c.yaml': yaml('name: not an SLO'),
        'slos/d.yaml': '# nothing\n',
        'empty/README.md': 'no YAML here',
        'e.yaml': yaml('- 1', '- 2'),
      },
      ['slos', 'missing.yaml', 'empty', 'e.yaml'],
    );
    expect(problems[0]).toBe('missing.yaml: no such file or folder');
    expect(problems[1]).toBe('empty: the folder holds no .yaml or .yml file');
    expect(problems[2]).toBe('slos/a.yaml: slos[0].target: "99,9%" is not a percentage (write it like 99.9%)');
    expect(problems[3]).toMatch(/^slos\/b\.yaml: line 3, column 1: .+ \(not valid YAML\)$/);
    expect(problems.slice(4)).toEqual([
      'slos/c.yaml: is not an SLO document: write the plain format (service, slos), Sloth (version: prometheus/v1) or OpenSLO (apiVersion: openslo/v1, kind: SLO)',
      'slos/d.yaml: is empty; it defines no SLO',
      'e.yaml: [0]: is not an SLO document: write the plain format (service, slos), Sloth (version: prometheus/v1) or OpenSLO (apiVersion: openslo/v1, kind: SLO)',
      'e.yaml: [1]: is not an SLO document: write the plain format (service, slos), Sloth (version: prometheus/v1) or OpenSLO (apiVersion: openslo/v1, kind: SLO)',
    ]);
  });

  it('names the document in a file of several, and refuses an SLO defined twice for one service, in any file or case', () => {
    const problems = problemsOf({
      'a.yaml': plain('checkout', 'availability'),
      'b.yaml': `${plain('search', 'availability')}---\n${plain('Checkout', 'Availability', 'latency', 'latency')}`,
    });
    expect(problems).toEqual([
      'b.yaml (document 2): slos[0].name: "Availability" is already an SLO of checkout (in a.yaml); give it another name',
      'b.yaml (document 2): slos[2].name: "latency" is already an SLO of Checkout (in b.yaml); give it another name',
    ]);
  });

  it('reads the three formats side by side, and finds SLOs by service and name without regard to case', () => {
    const catalog = catalogOf({
      'plain.yaml': plain('checkout-api', 'availability'),
      'sloth.yaml': yaml('version: prometheus/v1', 'service: payments', 'slos:', '  - name: requests', '    objective: 99.9', '    sli: { raw: { error_ratio_query: "r[{{.window}}]" } }'),
      'openslo.yaml': yaml(
        'apiVersion: openslo/v1',
        'kind: SLO',
        'metadata: { name: availability }',
        'spec:',
        '  service: checkout-api-v2',
        '  indicator: { spec: { ratioMetric: { rawType: failure, raw: { metricSource: { type: prometheus, spec: { query: "r[{{.window}}]" } } } } } }',
        '  objectives: [{ target: 0.999 }]',
      ),
    });
    expect(catalog.slos.map((s) => [s.id, s.source.format])).toEqual([
      ['checkout-api/availability', 'plain'],
      ['payments/requests', 'sloth'],
      ['checkout-api-v2/availability', 'openslo'],
    ]);
    expect(slosForService(catalog, 'CHECKOUT-API').map((s) => s.id)).toEqual(['checkout-api/availability']);
    expect(findSlo(catalog, 'Payments', 'REQUESTS')?.id).toBe('payments/requests');
    expect(findSlo(catalog, 'payments/requests')?.source.file).toBe('sloth.yaml');
    expect(findSlo(catalog, 'payments', 'nothing')).toBeUndefined();
    expect(Object.isFrozen(catalog.slos)).toBe(true);
  });

  it('reads merge keys, so shared settings can be written once', () => {
    const catalog = catalogOf({
      'a.yaml': yaml('service: a', 'slos:', '  - &base', '    name: one', '    target: 99.5%', '    window: 7d', '    sli: { error_ratio_query: "r[{{.window}}]" }', '  - <<: *base', '    name: two'),
    });
    expect(catalog.slos.map((s) => [s.name, s.target, s.window.text])).toEqual([
      ['one', 0.995, '7d'],
      ['two', 0.995, '7d'],
    ]);
  });
});
