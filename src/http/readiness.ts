import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthState } from './health.js';

/** What `/readyz` looks at, in the order its reasons are listed. */
export const READINESS_CHECKS = ['database', 'slackToken', 'socketMode', 'outbox'] as const;
export type ReadinessCheckName = (typeof READINESS_CHECKS)[number];

/** `off`: the check does not apply (Socket Mode in HTTP mode); `pending`: no answer yet. */
export const CHECK_STATUSES = ['ok', 'failing', 'pending', 'off'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** One check's answer; a failing one says why in a sentence a person can act on. */
export interface CheckResult {
  readonly status: CheckStatus;
  readonly reason?: string;
}

/**
 * Called on every request: each must be cheap (a probe may come every few
 * seconds) and never call Slack. It may answer a promise (a database across
 * the network); one that takes longer than the bound fails (see
 * readinessHandler).
 */
export type ReadinessCheck = () => CheckResult | Promise<CheckResult>;

/** How long /readyz waits for a check before counting it as failing: a probe's own timeout is often 1 s. */
export const CHECK_ANSWER_WITHIN_MS = 1_000;

export const passing: CheckResult = Object.freeze({ status: 'ok' });
export const notApplicable: CheckResult = Object.freeze({ status: 'off' });

/** A failing check with its reason. */
export function failing(reason: string): CheckResult {
  return { status: 'failing', reason };
}

export type ReadinessPhase = 'starting' | 'running' | 'stopping';

export interface ReadinessBody {
  readonly status: 'ready' | 'unready' | 'starting' | 'stopping';
  /** One plain sentence per cause; absent when ready. */
  readonly reasons?: readonly string[];
  readonly checks: Readonly<Record<ReadinessCheckName, CheckStatus>>;
}

/** The phase the bot is in, from its health state and whether a stop has begun. */
export function readinessPhase(health: HealthState, stopping: boolean): ReadinessPhase {
  if (stopping) return 'stopping';
  return health.databaseReady && health.slackReady ? 'running' : 'starting';
}

/**
 * What `/readyz` answers, as a pure function of the phase and each check's
 * result. Ready only while running with no check failing or pending; every
 * cause is listed, so one probe tells the whole story.
 */
export function readinessReport(phase: ReadinessPhase, results: Readonly<Record<ReadinessCheckName, CheckResult>>, health: HealthState): ReadinessBody {
  const checks = Object.fromEntries(READINESS_CHECKS.map((name) => [name, results[name].status])) as Record<ReadinessCheckName, CheckStatus>;
  const reasons = READINESS_CHECKS.flatMap((name) => (results[name].status === 'failing' ? [results[name].reason ?? `The ${name} check failed.`] : []));
  if (phase === 'stopping') return { status: 'stopping', reasons: ['The bot is stopping.', ...reasons], checks };
  if (phase === 'starting') return { status: 'starting', reasons: [startingReason(health), ...reasons], checks };
  const waiting = READINESS_CHECKS.filter((name) => results[name].status === 'pending');
  if (reasons.length === 0 && waiting.length === 0) return { status: 'ready', checks };
  const pending = waiting.map((name) => results[name].reason ?? `The ${name} check has no answer yet.`);
  return { status: 'unready', reasons: [...reasons, ...pending], checks };
}

function startingReason(health: HealthState): string {
  if (!health.databaseReady) return 'The bot is still starting: the database is not open yet.';
  return 'The bot is still starting: Slack has not accepted the bot token yet (an outage is waited out).';
}

/**
 * Runs one check, bounded by `withinMs`: a check that throws, rejects or
 * does not answer in time is itself a reason, never a 500 from the route nor
 * a probe left hanging. A late answer is dropped.
 */
async function run(name: ReadinessCheckName, check: ReadinessCheck, withinMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve(failing(`The ${name} check did not answer within ${spokenBound(withinMs)}.`)), withinMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(check), late]);
  } catch (error) {
    return failing(`The ${name} check could not run: ${error instanceof Error ? error.message : String(error)}.`);
  } finally {
    clearTimeout(timer);
  }
}

/** `1 second`, `1.5 seconds`, `250 ms`. */
function spokenBound(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  return ms === 1_000 ? '1 second' : `${ms / 1_000} seconds`;
}

/** What /readyz would answer now: every check run, side by side, each within its bound. */
export function readinessReporter(sources: ReadinessSources): () => Promise<ReadinessBody> {
  const withinMs = sources.answerWithinMs ?? CHECK_ANSWER_WITHIN_MS;
  return async () => {
    // Side by side: a slow database does not hold up the other answers, and the probe waits at most one bound.
    const answers = await Promise.all(READINESS_CHECKS.map((name) => run(name, sources.checks[name], withinMs)));
    const results = Object.fromEntries(READINESS_CHECKS.map((name, i) => [name, answers[i]!])) as Record<ReadinessCheckName, CheckResult>;
    return readinessReport(readinessPhase(sources.health, sources.stopping()), results, sources.health);
  };
}

export interface ReadinessSources {
  readonly health: HealthState;
  readonly stopping: () => boolean;
  readonly checks: Readonly<Record<ReadinessCheckName, ReadinessCheck>>;
  /** How long each check may take; CHECK_ANSWER_WITHIN_MS unless told. */
  readonly answerWithinMs?: number;
}

/**
 * `GET /readyz`: 200 `{status:"ready", checks}` while the bot can do its job,
 * 503 with the reasons whenever it cannot. `/healthz` stays the liveness
 * check: a bot that is up but cannot reach its database or Slack should be
 * taken out of service, not restarted in a loop.
 */
export function readinessHandler(sources: ReadinessSources) {
  const report = readinessReporter(sources);
  return async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await report();
    res.writeHead(body.status === 'ready' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
}
