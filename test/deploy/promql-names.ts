/**
 * The metric names a PromQL expression selects, read with Prometheus's own
 * grammar (@prometheus-io/lezer-promql, the one its web UI uses) rather than
 * by pattern: functions, keywords, label names, strings and durations are
 * tree nodes of their own, so only a selector's metric name is taken.
 */
import { parser } from '@prometheus-io/lezer-promql';

/**
 * Grafana's variables are not PromQL: each is replaced by a value of its kind
 * before parsing (`$__rate_interval` and the other built-in ranges by a
 * duration, the dashboard's own variables by a label value).
 */
export function withoutGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$\{?__(range|interval|rate_interval)_(s|ms)\}?/g, '300')
    .replace(/\$\{?__(range|interval|rate_interval)\}?/g, '5m')
    .replace(/\$\{(\w+)(:\w+)?\}|\$(\w+)/g, 'grafana_variable');
}

/**
 * Every metric name `expr` selects, in order. A parse error, or a selector
 * that names its metric only through `__name__`, throws: the check that uses
 * this must not pass by reading nothing.
 */
export function metricNamesIn(expr: string): string[] {
  const tree = parser.parse(expr);
  const names: string[] = [];
  let failure: string | undefined;
  tree.iterate({
    enter(node) {
      if (failure) return false;
      if (node.type.isError) {
        failure = `PromQL parse error at ${node.from} in: ${expr}`;
        return false;
      }
      if (node.name !== 'VectorSelector') return undefined;
      const identifier = node.node.getChild('Identifier');
      if (!identifier) failure = `a selector without a metric name in: ${expr}`;
      else names.push(expr.slice(identifier.from, identifier.to));
      return false;
    },
  });
  if (failure) throw new Error(failure);
  if (names.length === 0) throw new Error(`no metric selected in: ${expr}`);
  return names;
}

/** Metric family names and types from the `# TYPE` lines of a Prometheus text exposition. */
export function exportedTypes(exposition: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\w+)$/gm)) types.set(match[1]!, match[2]!);
  return types;
}

/**
 * Whether `name` is a series of an exported family: the family itself, or a
 * histogram's (or summary's) `_bucket`, `_sum` or `_count`.
 */
export function isExported(name: string, types: ReadonlyMap<string, string>): boolean {
  if (types.has(name)) return true;
  const suffix = /^(.+)_(bucket|sum|count)$/.exec(name);
  if (!suffix) return false;
  const family = types.get(suffix[1]!);
  return family === 'histogram' || (family === 'summary' && suffix[2] !== 'bucket');
}

/** One aggregation (`sum by (kind) (…)`) of an expression. */
export interface Aggregation {
  /** The operator: `sum`, `max`, `count`… */
  readonly op: string;
  /** The labels of `by (…)`, or undefined when it has no `by` (none, or `without`). */
  readonly by: readonly string[] | undefined;
  /** The metrics its argument selects. */
  readonly names: readonly string[];
  /** Its text, to name it in a failure. */
  readonly text: string;
}

/** Every aggregation of `expr`, outermost first, with the metrics each reads. */
export function aggregationsIn(expr: string): Aggregation[] {
  const found: Aggregation[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.name !== 'AggregateExpr') return undefined;
      const op = node.node.getChild('AggregateOp');
      const modifier = node.node.getChild('AggregateModifier');
      const grouping = modifier?.getChild('By') ? modifier.getChild('GroupingLabels')?.getChildren('LabelName') : undefined;
      const text = expr.slice(node.from, node.to);
      found.push({
        op: op ? expr.slice(op.from, op.to) : '',
        by: grouping?.map((label) => expr.slice(label.from, label.to)),
        names: metricNamesIn(text),
        text,
      });
      return undefined;
    },
  });
  return found;
}

/** One `histogram_quantile(φ, …)` of an expression: what its second argument is. */
export interface Quantile {
  readonly text: string;
  /** The aggregation that is its second argument, when it is one. */
  readonly over: Aggregation | undefined;
  /** The metrics its second argument selects. */
  readonly names: readonly string[];
}

/** Every histogram_quantile call of `expr`. */
export function quantilesIn(expr: string): Quantile[] {
  const found: Quantile[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.name !== 'FunctionCall' || !node.node.getChild('FunctionIdentifier')?.getChild('HistogramQuantile')) return undefined;
      const body = node.node.getChild('FunctionCallBody');
      const args: { from: number; to: number; name: string }[] = [];
      for (let child = body?.firstChild; child; child = child.nextSibling) if (!['(', ')', ','].includes(child.name)) args.push(child);
      const second = args[1];
      const text = expr.slice(node.from, node.to);
      if (!second) throw new Error(`histogram_quantile without a second argument: ${text}`);
      const inner = expr.slice(second.from, second.to);
      found.push({ text, over: second.name === 'AggregateExpr' ? aggregationsIn(inner)[0] : undefined, names: metricNamesIn(inner) });
      return undefined;
    },
  });
  return found;
}
