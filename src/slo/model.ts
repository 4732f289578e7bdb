/**
 * The one shape every SLO file format is normalised into. Nothing in src/slo
 * knows Prometheus's HTTP API, Slack or the database: the adapters build on it.
 *
 * What to import from outside src/slo: this file (types, SloConfigError);
 * catalog.ts (loadSloCatalog, splitSloFilesSetting, slosForService, findSlo);
 * query.ts (renderQuery, errorRatioQuery); budget.ts (the maths and result
 * types); estimate.ts (the severity estimate and its variables); policy.ts
 * (the error-budget policy); yaml-files.ts (SloFiles, to read from elsewhere
 * than the disk). The rest (fields, problems, percentage, window, formats/)
 * serves those.
 */

export const SLO_FORMATS = ['plain', 'sloth', 'openslo'] as const;
/** Which file format an SLO was written in (plain, Sloth prometheus/v1, OpenSLO v1). */
export type SloFormat = (typeof SLO_FORMATS)[number];

/**
 * A rolling window of fixed length. `text` is how it was written, normalised
 * (`30d`, `4w`, `1h`), and is also a valid Prometheus range duration.
 */
export interface SloWindow {
  readonly text: string;
  readonly ms: number;
}

/**
 * How an SLO is measured. The three query forms all carry `{{.window}}`
 * placeholders (see `renderQuery`, `errorRatioQuery` in query.ts); `text` has
 * no query at all, only words, and its budget can only be estimated.
 */
export type SliDefinition =
  /** Bad events over all events: error ratio = error / total. */
  | { readonly kind: 'events'; readonly errorQuery: string; readonly totalQuery: string }
  /** Good events over all events (OpenSLO `good`): error ratio = 1 − good / total. */
  | { readonly kind: 'good-events'; readonly goodQuery: string; readonly totalQuery: string }
  /** A query that already yields the error ratio (0..1). */
  | { readonly kind: 'error-ratio'; readonly errorRatioQuery: string }
  /** Described in words only: the budget is always an estimate. */
  | { readonly kind: 'text'; readonly numerator: string; readonly denominator: string };

/** One SLO of one service, whatever file format it came from. */
export interface SloDefinition {
  /** `service/name`: unique in a catalog (compared without regard to case). */
  readonly id: string;
  readonly service: string;
  readonly name: string;
  readonly description: string | undefined;
  /** The objective as a fraction in (0, 1): 99.9 % is 0.999. */
  readonly target: number;
  readonly window: SloWindow;
  /** The team or person answerable for it, when the file says. */
  readonly owner: string | undefined;
  readonly sli: SliDefinition;
  /** Where it was written: for messages that point a person at the file. */
  readonly source: { readonly file: string; readonly format: SloFormat };
}

/** Every SLO read at start, in the order of the files and of the SLOs in them. */
export interface SloCatalog {
  readonly slos: readonly SloDefinition[];
}

/**
 * An SLO or error-budget policy file that cannot be used. `problems` lists every
 * problem found, across all files, each as `file: path: message`
 * (`slos/checkout.yaml: slos[1].target: "99,9%" is not a percentage ...`).
 *
 * Not a subclass of config.ts's ConfigError on purpose: config.ts is the one
 * that will import this module, and a class extending across that cycle would
 * not exist yet when the other module evaluates.
 */
export class SloConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid SLO configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SloConfigError';
  }
}
