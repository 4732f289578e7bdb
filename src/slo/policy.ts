import { z } from 'zod';
import { serviceField, strictObject, thresholdPercentageField } from './fields.js';
import { SloConfigError } from './model.js';
import { fileProblem, parseDocument, type DocumentProblem } from './problems.js';
import { nodeSloFiles, readYamlDocuments, type SloFiles } from './yaml-files.js';

/**
 * One level of the error-budget policy: in effect once the budget remaining
 * falls to or below `budgetRemaining` (a fraction: 25 % is 0.25).
 */
export interface PolicyThreshold {
  readonly budgetRemaining: number;
  readonly actions: readonly string[];
}

/**
 * The team's error-budget policy: the default thresholds, and services with a
 * list of their own (which replaces the default, it is not merged into it).
 * Every list is sorted from the most budget remaining to the least.
 */
export interface ErrorBudgetPolicy {
  readonly defaultThresholds: readonly PolicyThreshold[];
  /** Keyed by service name in lower case. */
  readonly services: ReadonlyMap<string, readonly PolicyThreshold[]>;
}

const freezeList = (thresholds: PolicyThreshold[]): readonly PolicyThreshold[] =>
  Object.freeze([...thresholds].sort((a, b) => b.budgetRemaining - a.budgetRemaining).map((t) => Object.freeze({ ...t, actions: Object.freeze([...t.actions]) })));

/** The policy when no ERROR_BUDGET_POLICY_FILE is given (the one in examples/error-budget-policy.yaml). */
export const DEFAULT_ERROR_BUDGET_POLICY: ErrorBudgetPolicy = Object.freeze({
  defaultThresholds: freezeList([
    { budgetRemaining: 0.5, actions: ['notify'] },
    { budgetRemaining: 0.25, actions: ['freeze non-critical deployments'] },
    { budgetRemaining: 0.1, actions: ['freeze all deployments', 'reliability review meeting'] },
    { budgetRemaining: 0, actions: ['reliability work only'] },
  ]),
  services: new Map(),
});

const SERVICE_KEY_PROBLEM = 'is not a service name: use letters, digits, - _ or . (like checkout-api)';
const action = z.string().trim().min(1);
const Threshold = strictObject(
  {
    budget_remaining: thresholdPercentageField,
    // A single action may be written without brackets.
    actions: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(action, { error: (i) => (i.code === 'invalid_type' && i.input !== undefined ? 'must be a list of actions, like [notify]' : undefined) }).min(1)),
  },
  'a threshold',
);
const Thresholds = z.array(Threshold).min(1);
const PolicyFile = strictObject(
  {
    thresholds: Thresholds.optional(),
    services: z
      .record(serviceField, strictObject({ thresholds: Thresholds }, 'a service policy'), {
        error: (i) => (i.code === 'invalid_key' ? SERVICE_KEY_PROBLEM : undefined),
      })
      .optional(),
  },
  'an error-budget policy',
);

type ThresholdsRead = z.infer<typeof Thresholds>;

/** A list with one level twice would post the same crossing twice: name the later one. */
function duplicateProblems(list: ThresholdsRead, path: string): DocumentProblem[] {
  return list.flatMap((t, i) =>
    list.slice(0, i).some((earlier) => earlier.budget_remaining === t.budget_remaining)
      ? [{ path: `${path}[${i}].budget_remaining`, message: `${Number((t.budget_remaining * 100).toPrecision(12))}% is listed twice` }]
      : [],
  );
}

const toThresholds = (list: ThresholdsRead) => freezeList(list.map((t) => ({ budgetRemaining: t.budget_remaining, actions: t.actions })));

/**
 * Reads the policy file (`thresholds` is the default; `services.<name>.thresholds`
 * a service's own). No path: DEFAULT_ERROR_BUDGET_POLICY. With `knownServices`
 * (the catalog's), a service the policy names but no SLO has is a problem, so
 * a misspelt name does not fall back to the default in silence. Every problem
 * is thrown at once as a SloConfigError, as `file: path: message`.
 */
export function loadErrorBudgetPolicy(
  path: string | undefined,
  options: { readonly files?: SloFiles; readonly knownServices?: readonly string[] } = {},
): ErrorBudgetPolicy {
  if (path === undefined || path.trim() === '') return DEFAULT_ERROR_BUDGET_POLICY;
  const read = readYamlDocuments(path, options.files ?? nodeSloFiles);
  if ('problem' in read) throw new SloConfigError([read.problem]);
  const [first, ...rest] = read.documents;
  if (!first) throw new SloConfigError([`${path}: is empty; write thresholds (see examples/error-budget-policy.yaml), or leave the policy file unset for the default`]);
  if (rest.length > 0) throw new SloConfigError([`${path}: holds ${read.documents.length} YAML documents; write the policy as one`]);
  if (!first.ok) throw new SloConfigError(first.problems.map((p) => `${path}: ${p}`));

  // zod's record drops a `__proto__` key without a word (YAML makes it an own key): name it here.
  const raw: unknown = first.value;
  const rawServices = typeof raw === 'object' && raw !== null && 'services' in raw ? raw.services : undefined;
  const protoKey = typeof rawServices === 'object' && rawServices !== null && Object.hasOwn(rawServices, '__proto__');
  const keyProblems = protoKey ? [{ path: 'services.__proto__', message: SERVICE_KEY_PROBLEM }] : [];
  const parsed = parseDocument(PolicyFile, first.value);
  if (!parsed.ok || protoKey) throw new SloConfigError([...keyProblems, ...(parsed.ok ? [] : parsed.problems)].map((p) => fileProblem(path, p)));
  const file = parsed.value;
  const services = Object.entries(file.services ?? {});
  const known = options.knownServices && new Set(options.knownServices.map((s) => s.toLowerCase()));
  const problems: DocumentProblem[] = [
    ...(file.thresholds === undefined && services.length === 0 ? [{ path: '', message: 'gives neither thresholds nor services; write thresholds (see examples/error-budget-policy.yaml)' }] : []),
    ...duplicateProblems(file.thresholds ?? [], 'thresholds'),
    ...services.flatMap(([name, own]) => [
      ...(known && !known.has(name.toLowerCase()) ? [{ path: `services.${name}`, message: `no SLO in the SLO files is for a service named "${name}"` }] : []),
      ...duplicateProblems(own.thresholds, `services.${name}.thresholds`),
    ]),
  ];
  if (problems.length > 0) throw new SloConfigError(problems.map((p) => fileProblem(path, p)));
  return Object.freeze({
    defaultThresholds: file.thresholds ? toThresholds(file.thresholds) : DEFAULT_ERROR_BUDGET_POLICY.defaultThresholds,
    services: new Map(services.map(([name, own]) => [name.toLowerCase(), toThresholds(own.thresholds)])),
  });
}

/** The thresholds that apply to a service: its own list, or the default. */
export function thresholdsFor(policy: ErrorBudgetPolicy, service: string): readonly PolicyThreshold[] {
  return policy.services.get(service.toLowerCase()) ?? policy.defaultThresholds;
}

/*
 * Budget remaining is computed in floating point (1 − 0.00075 / 0.001 is
 * 0.2500000000000002): a hair's width keeps "exactly 25 % left" on the
 * crossed side, as a person reading 25 % expects.
 */
const EPSILON = 1e-9;
const isCrossed = (threshold: PolicyThreshold, remaining: number) => remaining <= threshold.budgetRemaining + EPSILON;

/**
 * The threshold in effect: of those crossed (remaining at or below
 * `budgetRemaining`), the one with the least budget remaining. Undefined while
 * the budget is above every threshold. An overspent budget (below 0) is past
 * a 0 % threshold.
 */
export function thresholdInEffect(thresholds: readonly PolicyThreshold[], remaining: number): PolicyThreshold | undefined {
  return thresholds.filter((t) => isCrossed(t, remaining)).sort((a, b) => a.budgetRemaining - b.budgetRemaining)[0];
}

/**
 * The thresholds crossed between two readings of the budget remaining: at or
 * below in `current` and not in `previous`. Ordered from the most budget
 * remaining to the least, so the last is the one now in effect. No previous
 * reading (the first of a window) counts as a full budget: every threshold
 * already crossed is new. A budget that recovers crosses nothing; one that
 * falls again crosses again, so "once per threshold per SLO per window" is
 * for the caller's claim record to keep.
 */
export function newlyCrossedThresholds(thresholds: readonly PolicyThreshold[], previous: number | undefined, current: number): PolicyThreshold[] {
  return thresholds
    .filter((t) => isCrossed(t, current) && (previous === undefined || !isCrossed(t, previous)))
    .sort((a, b) => b.budgetRemaining - a.budgetRemaining);
}
