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
