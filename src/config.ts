import { z } from 'zod';
import { cronSchedule } from './jobs/cron-pattern.js';
import { SLO_ESTIMATE_ENV_SHAPE, type SeverityErrorRatios } from './slo/estimate.js';
import { AlertRulesError, loadAlertRules } from './alertmanager/rules.js';
import { defaultAlertRules, type AlertRules } from './domain/alert-rules.js';
import { loadSloSettings, type LoadedSloSettings } from './slo/settings-from-env.js';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

/** Where the database lives when DATABASE_URL is unset. */
export const DEFAULT_DATABASE_URL = './data/incidents.db';

function isCron(expression: string): boolean {
  try {
    cronSchedule(expression);
    return true;
  } catch {
    return false;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The zone TZ names, read as the C library reads it: `:Europe/Paris` and
 * `/usr/share/zoneinfo/Europe/Paris` both name Europe/Paris (Intl knows neither form).
 */
function zoneOfTz(tz: string): string {
  return tz.trim().replace(/^:/, '').replace(/^.*\/zoneinfo\//, '');
}

const zoneProblem = (value: string) => `must be an IANA time zone like Europe/Paris, not ${value.trim()}`;

const CHANNEL_ID = /^[CG][A-Z0-9]+$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const PORT_PROBLEM = 'must be a number from 1 to 65535';
const DURATION_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Node runs a timer of more than 2^31 - 1 ms (about 24.8 days) after 1 ms instead: durations that set timers stop well short. */
const DAY_MS = 86_400_000;

/**
 * A duration variable (`10s`, `5m`, `1h`, `500ms`) as milliseconds, within
 * `[minMs, maxMs]`: 0 would make a timeout fire at once, a refresh spin or
 * readiness fail on any queued job, and a value past Node's timer limit fires
 * after 1 ms. `range` says the bounds in words for the message.
 */
function durationVariable(fallback: string, example: string, minMs: number, maxMs: number, range: string) {
  return z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default(fallback)
      .transform((text, ctx) => {
        const [, n, unit] = /^\s*(\d+)\s*(ms|s|m|h)\s*$/.exec(text) ?? [];
        const ms = Number(n) * (DURATION_MS[unit ?? ''] ?? Number.NaN);
        if (Number.isNaN(ms)) ctx.addIssue({ code: 'custom', message: `must be a duration like ${example}` });
        else if (ms < minMs || ms > maxMs) ctx.addIssue({ code: 'custom', message: `must be ${range} (like ${example}), not ${text.trim()}` });
        return ms;
      }),
  );
}

/**
 * A PagerDuty API's host[:port], written as an https:// URL. pdjs takes only
 * a host and always speaks HTTPS with its own paths, so an http:// proxy or a
 * path prefix would be dropped unsaid and every page would fail for an hour.
 */
function pagerDutyHostVariable(fallback: string) {
  const problem = `must be an https:// URL of a host, with no path, like ${fallback}`;
  return z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default(fallback)
      .transform((text, ctx) => {
        const url = URL.canParse(text.trim()) ? new URL(text.trim()) : undefined;
        if (url?.protocol !== 'https:' || url.pathname !== '/' || url.search || url.hash || url.username) ctx.addIssue({ code: 'custom', message: problem });
        return url?.host ?? '';
      }),
  );
}

/**
 * One entry per variable, each with a message a person can act on (never
 * zod's own "expected number, received NaN"). Checks that involve two
 * variables are in `crossFieldProblems`: zod skips an object's refinements
 * as soon as one field fails, which made problems come out one round at a time.
 */
const EnvSchema = z.object({
  SLACK_BOT_TOKEN: z.preprocess(emptyToUndefined, z.string({ error: 'is required' }).startsWith('xoxb-', 'must be a bot token (xoxb-...)')),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: z.preprocess(emptyToUndefined, z.string().startsWith('xapp-', 'must be an app-level token (xapp-...)').optional()),
  // 0 is accepted too (any free port: the tests use it), but a person wants a real port.
  PORT: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^\d{1,5}$/, PORT_PROBLEM)
      .transform(Number)
      .refine((port) => port <= 65535, PORT_PROBLEM)
      .default(3000),
  ),
  SLACK_API_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: 'must be a URL like https://slack.com/api/' }).default('https://slack.com/api/')),
  DATABASE_URL: z.preprocess(emptyToUndefined, z.string().default(DEFAULT_DATABASE_URL)),
  DATABASE_POOL_SIZE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d{1,3}$/, 'must be a whole number of connections, 1 to 100')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 100, 'must be a whole number of connections, 1 to 100')
      .default(10),
  ),
  INCIDENT_ANNOUNCE_CHANNEL: z.preprocess(emptyToUndefined, z.string().regex(CHANNEL_ID, 'must be a channel id like C0123ABCD (not a #name)').optional()),
  TIMELINE_EMOJI: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().replace(/^:|:$/g, '') : v),
    z.preprocess(emptyToUndefined, z.string().regex(/^[a-z0-9_+'-]+$/, 'must be an emoji name like pushpin').default('pushpin')),
  ),
  PAGERDUTY_ROUTING_KEY: optionalString,
  PAGERDUTY_SERVICES: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(
        /^\s*[a-z0-9][a-z0-9_-]*\s*=\s*[^,=\s]+\s*(,\s*[a-z0-9][a-z0-9_-]*\s*=\s*[^,=\s]+\s*)*$/i,
        'must be name=routing_key pairs separated by commas, like checkout=KEY1,payments=KEY2',
      )
      .optional(),
  ),
  // `none`: no severity pages by itself, /incident page still does. Empty is unset, as for every variable.
  PAGE_SEVERITIES: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\s*(none|sev[123]\s*(,\s*sev[123]\s*)*)\s*$/i, 'must be severities like sev1,sev2, or none (no severity pages by itself)')
      .default('sev1,sev2'),
  ),
  PAGERDUTY_EVENTS_URL: pagerDutyHostVariable('https://events.pagerduty.com'),
  PAGERDUTY_API_URL: pagerDutyHostVariable('https://api.pagerduty.com'),
  PAGERDUTY_API_TOKEN: optionalString,
  PAGERDUTY_ESCALATION_POLICY_ID: optionalString,
  PAGERDUTY_WEBHOOK_SECRET: optionalString,
  DIGEST_CRON: z.preprocess(
    emptyToUndefined,
    z.string().refine(isCron, 'must be a cron expression of five fields (or six, with seconds), like "0 9 * * 1"').default('0 9 * * 1'),
  ),
  DIGEST_CHANNEL: z.preprocess(emptyToUndefined, z.string().regex(CHANNEL_ID, 'must be a channel id like C0123ABCD (not a #name)').optional()),
  DIGEST_DM_OWNERS: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
    z.preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' }).default('true')),
  ),
  DIGEST_TIMEZONE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .superRefine((zone, ctx) => {
        if (!isTimeZone(zone)) ctx.addIssue({ code: 'custom', message: zoneProblem(zone) });
      })
      .optional(),
  ),
  TZ: z.preprocess(emptyToUndefined, z.string().optional()),
  SLO_FILES: optionalString,
  ERROR_BUDGET_POLICY_FILE: optionalString,
  PROMETHEUS_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: 'must be a URL like http://prometheus:9090' }).optional()),
  PROMETHEUS_BEARER_TOKEN: optionalString,
  PROMETHEUS_USERNAME: optionalString,
  PROMETHEUS_PASSWORD: optionalString,
  PROMETHEUS_TIMEOUT: durationVariable('10s', '10s or 1m', 1, DAY_MS, 'from 1ms to 24h'),
  SLO_REFRESH: durationVariable('5m', '5m, 30s or 1h', 1_000, DAY_MS, 'from 1s to 24h'),
  ...SLO_ESTIMATE_ENV_SHAPE,
  ALERTMANAGER_WEBHOOK_TOKEN: optionalString,
  ALERT_RULES_FILE: optionalString,
  READY_MAX_OUTBOX_AGE: durationVariable('5m', '5m, 30s or 1h', 1_000, Number.MAX_SAFE_INTEGER, '1s or longer'),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
    z.preprocess(emptyToUndefined, z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info')),
  ),
});

type EnvVariable = keyof typeof EnvSchema.shape;
const VARIABLES = Object.keys(EnvSchema.shape) as EnvVariable[];

interface Problem {
  readonly variable: EnvVariable;
  readonly message: string;
}

const isBlank = (v: string | undefined) => v === undefined || v.trim() === '';

/** Checks across variables, on the raw environment so they run whatever else is wrong. */
function crossFieldProblems(env: NodeJS.ProcessEnv): Problem[] {
  const problems: Problem[] = [];
  if (isBlank(env.SLACK_APP_TOKEN) && isBlank(env.SLACK_SIGNING_SECRET)) {
    problems.push({ variable: 'SLACK_SIGNING_SECRET', message: 'is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)' });
  }
  if (!isBlank(env.PROMETHEUS_BEARER_TOKEN) && !isBlank(env.PROMETHEUS_PASSWORD)) {
    problems.push({ variable: 'PROMETHEUS_BEARER_TOKEN', message: 'and PROMETHEUS_PASSWORD are both set: use one way to sign in to Prometheus' });
  }
  // An alert no rule declares is posted there (and one that cannot be applied is reported there): without it, dropped unseen.
  if (!isBlank(env.ALERTMANAGER_WEBHOOK_TOKEN) && isBlank(env.INCIDENT_ANNOUNCE_CHANNEL)) {
    problems.push({ variable: 'INCIDENT_ANNOUNCE_CHANNEL', message: 'is required with ALERTMANAGER_WEBHOOK_TOKEN: alerts that declare no incident are posted there, and without it nobody would see them (a channel id like C0123ABCD)' });
  }
  // Without DIGEST_TIMEZONE the team calendar is TZ's: an unknown zone read as UTC posted the digest and
  // turned 'tomorrow' into due dates hours off, unsaid. Set, DIGEST_TIMEZONE is read instead and TZ is left to Node.
  if (isBlank(env.DIGEST_TIMEZONE) && !isBlank(env.TZ) && !isTimeZone(zoneOfTz(env.TZ!))) {
    problems.push({ variable: 'TZ', message: `${zoneProblem(env.TZ!)} (it is the team calendar while DIGEST_TIMEZONE is unset)` });
  }
  if (isBlank(env.PROMETHEUS_USERNAME) !== isBlank(env.PROMETHEUS_PASSWORD)) {
    problems.push({ variable: 'PROMETHEUS_USERNAME', message: 'and PROMETHEUS_PASSWORD go together (basic auth): set both or neither' });
  }
  return problems;
}

export interface Config {
  readonly slack: {
    readonly botToken: string;
    readonly signingSecret: string | undefined;
    readonly appToken: string | undefined;
    readonly apiUrl: string;
    readonly socketMode: boolean;
  };
  readonly http: { readonly port: number };
  /** `poolSize`: PostgreSQL's connections per process (the listeners and the outbox thread each keep a pool). */
  readonly database: { readonly url: string; readonly poolSize: number };
  readonly incidents: { readonly announceChannel: string | undefined; readonly timelineEmoji: string };
  readonly pagerduty: {
    /** Routing keys by service name; `default` is PAGERDUTY_ROUTING_KEY. Empty = paging off. */
    readonly services: Readonly<Record<string, string>>;
    readonly pageSeverities: readonly ('sev1' | 'sev2' | 'sev3')[];
    /** host[:port] of the Events API (pdjs builds https://<host>/v2/enqueue). */
    readonly eventsHost: string;
    /** host[:port] of the REST API. */
    readonly apiHost: string;
    readonly apiToken: string | undefined;
    readonly escalationPolicyId: string | undefined;
    readonly webhookSecret: string | undefined;
  };
  readonly digest: {
    readonly cron: string;
    /** Where the weekly digest goes; unset = no scheduled digest. */
    readonly channel: string | undefined;
    readonly dmOwners: boolean;
  };
  /** The team's calendar: due dates and digest times are read in this IANA zone. */
  readonly timeZone: string;
  readonly slo: LoadedSloSettings & {
    /** How often an open incident linked to a service has its SLO figures computed again. */
    readonly refreshMs: number;
    /** The error ratio each severity is assumed to mean, where a budget can only be estimated. */
    readonly estimates: SeverityErrorRatios;
  };
  /** Where SLIs are measured; undefined: every SLO figure is an estimate. */
  readonly prometheus:
    | { readonly url: string; readonly bearerToken?: string; readonly username?: string; readonly password?: string; readonly timeoutMs: number }
    | undefined;
  /** The Alertmanager receiver: no token, no endpoint (404). The rules say which alerts open incidents. */
  readonly alertmanager: { readonly webhookToken: string | undefined; readonly rules: AlertRules };
  /** /readyz: an outbox job undelivered for longer than this makes the bot unready. */
  readonly readiness: { readonly maxOutboxAgeMs: number };
  readonly log: { readonly level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface ConfigChecks {
  /**
   * Why the database at this URL cannot be used (undefined: it can). Passed in
   * by the start, so that loadConfig itself stays free of the file system and
   * a bad DATABASE_URL is listed with every other problem.
   */
  readonly database?: (url: string) => string | undefined;
}

/**
 * Only the database part, read as loadConfig reads it: for tools that need
 * nothing else (`npm run backup`), where a missing Slack token is no problem.
 */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): Config['database'] {
  return Object.freeze({ url: EnvSchema.shape.DATABASE_URL.parse(env.DATABASE_URL), poolSize: EnvSchema.shape.DATABASE_POOL_SIZE.parse(env.DATABASE_POOL_SIZE) });
}

/**
 * Reads and checks the whole environment at once; a ConfigError lists every
 * problem, in the order of .env.example, each naming its variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, checks: ConfigChecks = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  const problems: Problem[] = [
    ...(parsed.error?.issues ?? []).map((i) => ({ variable: i.path[0] as EnvVariable, message: i.message })),
    ...crossFieldProblems(env),
  ];
  if (checks.database) {
    const url = (emptyToUndefined(env.DATABASE_URL) as string | undefined) ?? DEFAULT_DATABASE_URL;
    const reason = checks.database(url);
    if (reason) problems.push({ variable: 'DATABASE_URL', message: `is unusable: ${reason}` });
  }
  // SLO and policy files: each problem names the file and where in it, listed with the rest.
  const slo = loadSloSettings(emptyToUndefined(env.SLO_FILES) as string | undefined, emptyToUndefined(env.ERROR_BUDGET_POLICY_FILE) as string | undefined);
  for (const problem of slo.problems) {
    const [variable, ...rest] = problem.split(': ');
    problems.push({ variable: variable as EnvVariable, message: `: ${rest.join(': ')}` });
  }
  // The alert rules file, like the SLO files: each problem names the file and where in it.
  const alertRules = readAlertRules(env);
  for (const problem of alertRules.problems) problems.push({ variable: 'ALERT_RULES_FILE', message: `: ${problem}` });
  if (!parsed.success || problems.length > 0) {
    const ordered = problems.map((p, i) => ({ ...p, i })).sort((a, b) => VARIABLES.indexOf(a.variable) - VARIABLES.indexOf(b.variable) || a.i - b.i);
    throw new ConfigError(ordered.map((p) => `${p.variable}${p.message.startsWith(':') ? '' : ' '}${p.message}`));
  }
  const e = parsed.data;
  return Object.freeze({
    slack: Object.freeze({
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      socketMode: Boolean(e.SLACK_APP_TOKEN),
    }),
    http: Object.freeze({ port: e.PORT }),
    database: Object.freeze({ url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }),
    incidents: Object.freeze({ announceChannel: e.INCIDENT_ANNOUNCE_CHANNEL, timelineEmoji: e.TIMELINE_EMOJI }),
    pagerduty: Object.freeze({
      services: Object.freeze({
        ...(e.PAGERDUTY_ROUTING_KEY ? { default: e.PAGERDUTY_ROUTING_KEY } : {}),
        ...Object.fromEntries(
          (e.PAGERDUTY_SERVICES ?? '')
            .split(',')
            .filter((pair) => pair.includes('='))
            .map((pair) => pair.split('=').map((x) => x.trim()) as [string, string])
            .map(([name, key]) => [name.toLowerCase(), key]),
        ),
      }),
      pageSeverities: Object.freeze(
        e.PAGE_SEVERITIES.trim().toLowerCase() === 'none'
          ? []
          : ([...new Set(e.PAGE_SEVERITIES.toLowerCase().split(',').map((x) => x.trim()))] as ('sev1' | 'sev2' | 'sev3')[]),
      ),
      eventsHost: e.PAGERDUTY_EVENTS_URL,
      apiHost: e.PAGERDUTY_API_URL,
      apiToken: e.PAGERDUTY_API_TOKEN,
      escalationPolicyId: e.PAGERDUTY_ESCALATION_POLICY_ID,
      webhookSecret: e.PAGERDUTY_WEBHOOK_SECRET,
    }),
    digest: Object.freeze({
      cron: e.DIGEST_CRON,
      channel: e.DIGEST_CHANNEL ?? e.INCIDENT_ANNOUNCE_CHANNEL,
      dmOwners: ['true', '1', 'yes'].includes(e.DIGEST_DM_OWNERS),
    }),
    timeZone: e.DIGEST_TIMEZONE ?? (e.TZ ? zoneOfTz(e.TZ) : 'UTC'),
    slo: Object.freeze({
      ...slo.settings,
      refreshMs: e.SLO_REFRESH,
      estimates: Object.freeze({ sev1: 1, sev2: e.SLO_ESTIMATE_SEV2, sev3: e.SLO_ESTIMATE_SEV3 }),
    }),
    prometheus: e.PROMETHEUS_URL
      ? Object.freeze({
          url: e.PROMETHEUS_URL,
          ...(e.PROMETHEUS_BEARER_TOKEN ? { bearerToken: e.PROMETHEUS_BEARER_TOKEN } : {}),
          ...(e.PROMETHEUS_USERNAME ? { username: e.PROMETHEUS_USERNAME, password: e.PROMETHEUS_PASSWORD } : {}),
          timeoutMs: e.PROMETHEUS_TIMEOUT,
        })
      : undefined,
    alertmanager: Object.freeze({ webhookToken: e.ALERTMANAGER_WEBHOOK_TOKEN, rules: alertRules.rules }),
    readiness: Object.freeze({ maxOutboxAgeMs: e.READY_MAX_OUTBOX_AGE }),
    log: Object.freeze({ level: e.LOG_LEVEL }),
  });
}

/** ALERT_RULES_FILE read with the announce channel its notices default to; problems listed with the rest. */
function readAlertRules(env: NodeJS.ProcessEnv): { rules: AlertRules; problems: readonly string[] } {
  const announce = (emptyToUndefined(env.INCIDENT_ANNOUNCE_CHANNEL) as string | undefined) ?? null;
  try {
    return { rules: loadAlertRules(emptyToUndefined(env.ALERT_RULES_FILE) as string | undefined, announce), problems: [] };
  } catch (error) {
    if (!(error instanceof AlertRulesError)) throw error;
    return { rules: defaultAlertRules(announce), problems: error.problems };
  }
}
