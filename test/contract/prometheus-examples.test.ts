/**
 * examples/prometheus/ is what an operator copies: burn-rate rules for the
 * example SLO and the Alertmanager route and receiver for the bot. The real
 * tools check them (promtool from Debian's prometheus, amtool from
 * prometheus-alertmanager), and the files are held to the SLO they serve and to
 * the payload the harness captured, so none of them can drift alone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXAMPLE_GROUP_BY, findAlertmanagerBinaries, requireAlertmanager } from '../support/alertmanager-server.js';
import { findPrometheusBinaries, requirePrometheus } from '../support/prometheus-server.js';
import { runTool } from '../support/real-binary.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLES = join(ROOT, 'examples/prometheus');
const RULES = join(EXAMPLES, 'checkout-api.rules.yaml');
const RULES_TEST = join(EXAMPLES, 'checkout-api.rules.test.yaml');
const ALERTMANAGER = join(EXAMPLES, 'alertmanager.yml');
const scratch = mkdtempSync(join(tmpdir(), 'incident-bot-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function copyWith(file: string, from: string, to: string): string {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  const copy = join(scratch, `broken-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(copy, text.replace(from, to));
  return copy;
}

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rules = (): Rule[] => (parse(readFileSync(RULES, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);
const squeeze = (s: string) => s.replace(/\s+/g, ' ').trim();

describe.skipIf(!requirePrometheus())('examples/prometheus/checkout-api.rules.yaml', () => {
  const promtool = () => findPrometheusBinaries()!.promtool;

  it('passes promtool check rules, which counts every rule in the file', async () => {
    const run = await runTool(ROOT, promtool(), ['check', 'rules', RULES]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`SUCCESS: ${rules().length} rules found`);
  });

  it('is refused by promtool check rules once an expression is broken, so the check above can fail', async () => {
    const broken = copyWith(RULES, 'sum(rate(http_requests_total{job="checkout-api"}[5m]))', 'sum(rate(http_requests_total{job="checkout-api"}[5m])');
    const run = await runTool(ROOT, promtool(), ['check', 'rules', broken]);
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/FAILED|parse error/);
  });

  it('pages at a 15x burn within the hour, not at 14x nor at 1x, and tickets a 4x burn (promtool test rules)', async () => {
    const run = await runTool(ROOT, promtool(), ['test', 'rules', RULES_TEST]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('SUCCESS');
  });

  it('fails promtool test rules when the page threshold moves, so those cases can fail', async () => {
    const rulesText = readFileSync(RULES, 'utf8');
    expect(rulesText).toContain('(14.4 * 0.001)');
    const dir = mkdtempSync(join(scratch, 'moved-'));
    writeFileSync(join(dir, 'checkout-api.rules.yaml'), rulesText.replaceAll('(14.4 * 0.001)', '(16 * 0.001)'));
    writeFileSync(join(dir, 'checkout-api.rules.test.yaml'), readFileSync(RULES_TEST, 'utf8'));
    const run = await runTool(ROOT, promtool(), ['test', 'rules', join(dir, 'checkout-api.rules.test.yaml')]);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('alertname: CheckoutAvailabilityFastBurn, time: 7h');
  });

  it('records the SLI exactly as examples/slo/checkout-api.yaml writes it, for every window, labelled with its service and SLO', () => {
    const catalog = parse(readFileSync(join(ROOT, 'examples/slo/checkout-api.yaml'), 'utf8')) as {
      service: string;
      slos: { name: string; target: string; window: string; sli: { error_query?: string; total_query?: string } }[];
    };
    const slo = catalog.slos.find((s) => s.name === 'checkout_availability')!;
    expect([slo.target, slo.window]).toEqual(['99.9%', '30d']);
    const recorded = rules().filter((r) => r.record?.startsWith('slo:sli_error:ratio_rate') && r.labels?.sloth_window !== '30d');
    expect(recorded.map((r) => r.labels?.sloth_window)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    for (const rule of recorded) {
      const window = rule.labels!.sloth_window!;
      expect(rule.record).toBe(`slo:sli_error:ratio_rate${window}`);
      const query = (q: string | undefined) => q!.replaceAll('{{.window}}', window);
      expect(squeeze(rule.expr)).toBe(squeeze(`${query(slo.sli.error_query)} / ${query(slo.sli.total_query)}`));
    }
    const sloId = `${catalog.service}-${slo.name}`;
    for (const rule of rules().filter((r) => r.record)) {
      expect(rule.labels).toMatchObject({ sloth_service: catalog.service, sloth_slo: slo.name, sloth_id: sloId });
    }
    // Alerts carry those labels from the series they select (promtool test rules checks the result).
    for (const rule of rules().filter((r) => r.alert)) {
      const selectors = rule.expr.match(/slo:[a-z_:0-9]+\{[^}]*\}/g) ?? [];
      expect(selectors.length).toBeGreaterThan(0);
      for (const selector of selectors) expect(selector).toContain(`sloth_id="${sloId}"`);
    }
    // The budget every threshold multiplies: 1 - 99.9 %.
    const alerts = rules().filter((r) => r.alert);
    expect(alerts.map((r) => [r.alert, r.labels?.sloth_severity])).toEqual([['CheckoutAvailabilityFastBurn', 'page'], ['CheckoutAvailabilitySlowBurn', 'ticket']]);
    for (const alert of alerts) expect(alert.expr.match(/\* [0-9.]+\)/g)?.every((m) => m === '* 0.001)')).toBe(true);
    for (const alert of alerts) expect(Object.keys(alert.annotations ?? {}).sort()).toEqual(['description', 'runbook_url', 'summary']);
  });

  it('renders the page alert exactly as the captured Alertmanager fixture carries it', () => {
    const test = parse(readFileSync(RULES_TEST, 'utf8')) as {
      tests: { alert_rule_test?: { alertname: string; exp_alerts: { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }[] }[] }[];
    };
    const expected = test.tests.flatMap((t) => t.alert_rule_test ?? []).find((a) => a.alertname === 'CheckoutAvailabilityFastBurn' && a.exp_alerts.length > 0)!.exp_alerts[0]!;
    const fixture = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/alertmanager/firing.json'), 'utf8')) as {
      alerts: { labels: Record<string, string>; annotations: Record<string, string> }[];
    };
    const { alertname, ...labels } = fixture.alerts[0]!.labels;
    expect(alertname).toBe('CheckoutAvailabilityFastBurn');
    expect(labels).toEqual(expected.exp_labels);
    expect(fixture.alerts[0]!.annotations).toEqual(expected.exp_annotations);
  });
});

describe.skipIf(!requireAlertmanager())('examples/prometheus/alertmanager.yml', () => {
  const amtool = () => findAlertmanagerBinaries()!.amtool;
  const routeOf = async (...labels: string[]) => {
    const run = await runTool(ROOT, amtool(), ['config', 'routes', 'test', `--config.file=${ALERTMANAGER}`, ...labels]);
    expect(run.code, run.output).toBe(0);
    return run.output.split('\n')[0]!.trim();
  };

  it('passes amtool check-config, with the token file absent (it is read when posting, not when checking)', async () => {
    const run = await runTool(ROOT, amtool(), ['check-config', ALERTMANAGER]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('SUCCESS');
    expect(run.output).toContain('2 receivers');
  });

  it('is refused by amtool check-config once a route names a receiver that does not exist', async () => {
    const broken = copyWith(ALERTMANAGER, '    - receiver: incident-bot\n', '    - receiver: incident-bott\n');
    const run = await runTool(ROOT, amtool(), ['check-config', broken]);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('incident-bott');
  });

  it('routes the page alert and any critical alert to incident-bot, and tickets elsewhere', async () => {
    expect(await routeOf('alertname=CheckoutAvailabilityFastBurn', 'sloth_severity=page', 'severity=critical')).toBe('incident-bot');
    expect(await routeOf('alertname=DiskFull', 'severity=critical')).toBe('incident-bot');
    expect(await routeOf('alertname=CheckoutAvailabilitySlowBurn', 'sloth_severity=ticket', 'severity=warning')).toBe('default');
  });

  it('posts to the bot the way the harness configures Alertmanager in the tests', () => {
    const config = parse(readFileSync(ALERTMANAGER, 'utf8')) as {
      route: { group_by: string[] };
      receivers: { name: string; webhook_configs?: Record<string, unknown>[] }[];
    };
    expect(config.route.group_by).toEqual([...EXAMPLE_GROUP_BY]);
    const bot = config.receivers.find((r) => r.name === 'incident-bot')!;
    expect(bot.webhook_configs).toEqual([{
      url: 'https://YOUR-HOST/alertmanager/webhook',
      send_resolved: true,
      http_config: { authorization: { credentials_file: '/etc/alertmanager/incident-bot.token' } },
    }]);
  });
});
