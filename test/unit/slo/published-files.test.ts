import { describe, expect, it } from 'vitest';
import { loadSloCatalog } from '../../../src/slo/catalog.js';
import { SloConfigError } from '../../../src/slo/model.js';
import { errorRatioQuery } from '../../../src/slo/query.js';

/*
 * The repository's examples, and the files Sloth and OpenSLO publish (copied
 * unchanged into specs/, see specs/README.md), read from the disk as the bot
 * reads SLO_FILES.
 */

const problemsOf = (paths: string[]): readonly string[] => {
  try {
    loadSloCatalog(paths);
  } catch (error) {
    if (error instanceof SloConfigError) return error.problems;
    throw error;
  }
  throw new Error('the files were accepted');
};

describe('examples/slo', () => {
  it('all load, in all three formats, as one catalog', () => {
    const { catalog, files } = loadSloCatalog(['examples/slo']);
    expect(files).toEqual(['examples/slo/checkout-api.yaml', 'examples/slo/openslo-search.yaml', 'examples/slo/sloth-payments.yaml']);
    expect(catalog.slos.map((s) => [s.id, s.source.format, s.target, s.window.text, s.sli.kind, s.owner])).toEqual([
      ['checkout-api/checkout_availability', 'plain', 0.999, '30d', 'events', 'payments-team'],
      ['checkout-api/checkout_latency', 'plain', 0.995, '7d', 'error-ratio', 'payments-team'],
      ['checkout-api/receipt_emails', 'plain', 0.99, '28d', 'text', 'notifications-team'],
      ['search/search-availability', 'openslo', 0.999, '28d', 'good-events', 'discovery-team'],
      ['payments/requests-availability', 'sloth', 0.9995, '30d', 'events', 'payments-team'],
      ['payments/settlement-freshness', 'sloth', 0.99, '30d', 'error-ratio', 'payments-team'],
    ]);
  });

  it('checkout-api.yaml is the issue example: 99.9 % over 30 days with error and total queries', () => {
    const [availability] = loadSloCatalog(['examples/slo/checkout-api.yaml']).catalog.slos;
    expect(availability?.description).toBe('Successful checkout completions as a fraction of all attempts');
    expect(errorRatioQuery(availability!.sli, availability!.window)).toBe(
      '(sum(rate(http_requests_total{job="checkout-api",status=~"5.."}[30d]))) / (sum(rate(http_requests_total{job="checkout-api"}[30d])))',
    );
  });
});

describe("Sloth's own example files", () => {
  it('each load, with Sloth objectives as percentages, owners from labels and a 30-day window', () => {
    const read = (file: string) => loadSloCatalog([`specs/sloth/${file}`]).catalog.slos.map((s) => [s.id, s.target, s.window.text, s.sli.kind, s.owner]);
    expect(read('getting-started.yml')).toEqual([['myservice/requests-availability', 0.999, '30d', 'events', 'myteam']]);
    expect(read('multifile.yml')).toEqual([
      ['myservice/requests-availability', 0.999, '30d', 'events', 'myteam'],
      ['myservice2/requests-availability', 0.9999, '30d', 'events', 'myteam2'],
    ]);
    expect(read('home-wifi.yml')).toEqual([
      ['home-wifi/good-wifi-client-satisfaction', 0.95, '30d', 'events', undefined],
      ['home-wifi/risk-wifi-client-satisfaction', 0.999, '30d', 'events', undefined],
    ]);
    expect(read('raw-home-wifi.yml')).toEqual([['home-wifi/wifi-client-satisfaction', 0.95, '30d', 'error-ratio', undefined]]);
  });

  it('getting-started and multifile define the same SLO: read together, the second is named a duplicate', () => {
    expect(problemsOf(['specs/sloth/getting-started.yml', 'specs/sloth/multifile.yml'])).toEqual([
      'specs/sloth/multifile.yml (document 1): slos[0].name: "requests-availability" is already an SLO of myservice (in specs/sloth/getting-started.yml); give it another name',
    ]);
  });

  it("Sloth's OpenSLO example is v1alpha, refused by name", () => {
    expect(problemsOf(['specs/sloth/openslo-getting-started.yml'])).toEqual(['specs/sloth/openslo-getting-started.yml: apiVersion: must be openslo/v1, the OpenSLO version read here']);
  });
});

describe("the OpenSLO spec's own examples", () => {
  it('are refused, each part that is not an inline Prometheus ratio with {{.window}} named', () => {
    expect(problemsOf(['specs/openslo'])).toEqual([
      'specs/openslo/occurences-slo.yaml: spec.indicator.spec.thresholdMetric: only a ratioMetric indicator is measured here (good or bad over total, or raw)',
      'specs/openslo/ratio-timeslices.yaml: spec.indicator.spec.ratioMetric.good.metricSource.spec.query: must use {{.window}} where the range goes, like rate(http_requests_total[{{.window}}])',
      'specs/openslo/ratio-timeslices.yaml: spec.indicator.spec.ratioMetric.good.metricSource.type: "Any" is not measured here; only Prometheus sources are',
      'specs/openslo/ratio-timeslices.yaml: spec.indicator.spec.ratioMetric.total.metricSource.spec.query: must use {{.window}} where the range goes, like rate(http_requests_total[{{.window}}])',
      'specs/openslo/ratio-timeslices.yaml: spec.indicator.spec.ratioMetric.total.metricSource.type: "Any" is not measured here; only Prometheus sources are',
    ]);
  });
});
