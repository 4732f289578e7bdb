import type { SloDefinition } from '../../src/slo/model.js';
/**
 * The SLO file the SLO tests share: checkout-api's availability, 99.9 % over
 * 30 days, on the synthetic http_requests_total of test/support/openmetrics.ts.
 */
export const CHECKOUT_AVAILABILITY_SLO_FILE = `service: checkout-api
slos:
  - name: checkout_availability
    target: 99.9%
    window: 30d
    sli:
      error_query: sum(rate(http_requests_total{job="checkout-api",status=~"5.."}[{{.window}}]))
      total_query: sum(rate(http_requests_total{job="checkout-api"}[{{.window}}]))
`;

/**
 * The same SLO as a definition, for tests that build their own Prometheus
 * answers: its queries are placeholders (`err`, `all`) that such a fake
 * recognises by the window in them.
 */
export const CHECKOUT_SLO: SloDefinition = {
  id: 'checkout-api/checkout_availability',
  service: 'checkout-api',
  name: 'checkout_availability',
  description: undefined,
  target: 0.999,
  window: { text: '30d', ms: 30 * 86_400_000 },
  owner: undefined,
  sli: { kind: 'events', errorQuery: 'sum(rate(err[{{.window}}]))', totalQuery: 'sum(rate(all[{{.window}}]))' },
  source: { file: 'slo.yaml', format: 'plain' },
};
