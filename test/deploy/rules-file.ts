/**
 * deploy/prometheus/incident-bot.rules.yaml and its promtool unit tests, read
 * the way Prometheus reads them, for the tests of test/deploy/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RULES = join(ROOT, 'deploy/prometheus/incident-bot.rules.yaml');
export const RULES_TEST = join(ROOT, 'deploy/prometheus/incident-bot.rules.test.yaml');
export const DASHBOARD = join(ROOT, 'deploy/grafana/incident-bot.json');

/** One recording or alerting rule. */
export interface Rule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** Every rule of every group, in file order. */
export function readRules(file = RULES): Rule[] {
  const doc = parse(readFileSync(file, 'utf8')) as { groups: { rules: Rule[] }[] };
  return doc.groups.flatMap((g) => g.rules);
}

/** One `alert_rule_test` case of the promtool test file. */
export interface AlertCase {
  readonly alertname: string;
  readonly eval_time: string;
  readonly exp_alerts: readonly unknown[];
}

/** Every alert case of every test, in file order. */
export function readAlertCases(file = RULES_TEST): AlertCase[] {
  const doc = parse(readFileSync(file, 'utf8'), { maxAliasCount: -1 }) as { tests: { alert_rule_test?: AlertCase[] }[] };
  return doc.tests.flatMap((t) => t.alert_rule_test ?? []);
}
