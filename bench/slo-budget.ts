/**
 * `npm run bench -- slo`: what the SLO figures cost, against a real Prometheus
 * (slo-world.ts). Two figures, each against a baseline measured in the same
 * rounds:
 *
 * 1. The budget of 10 SLOs over a 30-day window for one linked incident: the
 *    bot's whole computation (the 'slo.refresh' job itself, refreshSlo: each
 *    SLO measured, the other incidents' figures read, the figures stored and
 *    thresholds claimed in SQLite, then the header the sync job would post,
 *    rendered and serialised) against the same Prometheus queries, recorded
 *    from the job, sent alone through PrometheusClient all at once, as the
 *    job sends them. Target ≤ 1.2× (ratio of medians).
 * 2. The declare ack p99 with 50 open linked incidents refreshing, against
 *    the same bot without linked incidents (slo-ack-refresh.ts). Target ≤ 1.1×.
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig, type Config } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import type { ClaimedJob } from '../src/db/outbox.repo.js';
import { createRepositories, type Store } from '../src/db/repositories.js';
import { declareIncident } from '../src/domain/declare.js';
import type { Deps } from '../src/domain/ports.js';
import type { EffectContext } from '../src/effects/context.js';
import { refreshSlo } from '../src/effects/refresh-slo.js';
import { headerFacts } from '../src/effects/sync-incident.js';
import type { PagerDutyClient } from '../src/pagerduty/client.js';
import { pagingPolicy } from '../src/pagerduty/policy.js';
import { PrometheusClient } from '../src/prometheus/client.js';
import type { PrometheusQueries } from '../src/prometheus/port.js';
import type { SlackGateway } from '../src/slack/gateway.js';
import { incidentHeaderBlocks, incidentHeaderText } from '../src/slack/views/header.js';
import { FixedClock } from '../test/support/fixed-clock.js';
import { findPrometheusBinaries, PROMETHEUS_MISSING } from '../test/support/prometheus-server.js';
import { SIGNING_SECRET } from '../test/support/signed-requests.js';
import { BOT_TOKEN, TEAM_ID } from '../test/support/slack-stand-in.js';
import { ackWhileRefreshing } from './slo-ack-refresh.js';
import { BENCH_SERVICE, SLO_COUNT, startSloWorld, type SloWorld } from './slo-world.js';
import { median, ms, percentile } from './stats.js';

const MINUTE = 60_000;
const WARM_UP_ROUNDS = 5;
const ROUNDS = 30;

type Out = (line?: string) => void;
type Figures = { p50: number; p99: number; cpu: number };

/** What refreshSlo reads from its context; Slack and PagerDuty are never called by it. */
function jobContext(config: Config, store: Store, clock: FixedClock, prometheus: PrometheusQueries, server: string): EffectContext {
  const deps: Deps = { repos: store, clock, timeZone: config.timeZone, paging: pagingPolicy(config), slo: config.slo };
  return {
    store,
    slack: {} as SlackGateway,
    pagerduty: {} as PagerDutyClient,
    prometheus: { queries: prometheus, server },
    logger: pino({ level: 'silent' }),
    clock,
    timeZone: config.timeZone,
    deps,
    config,
    announceChannel: undefined,
    timelineEmoji: config.incidents.timelineEmoji,
    botUserId: () => 'UBOT0001',
  };
}

/** A bot's store, clock at the history's end, and Prometheus client, for running the job in this process. */
function jobWorld(world: SloWorld, database: string) {
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    DATABASE_URL: join(world.dir, database),
    SLO_FILES: world.sloFile,
    PROMETHEUS_URL: world.prometheus.url,
  });
  const db = openDatabase(config.database.url);
  const store = createRepositories(db);
  const clock = new FixedClock(world.end);
  const client = new PrometheusClient(config.prometheus!);
  const ctx = jobContext(config, store, clock, client, client.server);
  /** An open incident linked to the service: declared 90 minutes before the history's end, impact from two hours before. */
  const linkedIncident = async () => {
    clock.set(new Date(world.end.getTime() - 90 * MINUTE));
    const incident = await declareIncident(ctx.deps, { type: 'slack', userId: 'U0ALICE', teamId: TEAM_ID }, { severity: 'sev2', title: 'Checkout failing', service: BENCH_SERVICE });
    await store.incidents.setImpact(incident.id, 'started', new Date(world.end.getTime() - 120 * MINUTE), clock.now());
    clock.set(world.end);
    return incident;
  };
  const refreshJob = (incidentId: number) =>
    ({ id: incidentId, kind: 'slo.refresh', incidentId, payload: { final: false }, attempts: 1, createdAt: clock.now() }) as ClaimedJob & { kind: 'slo.refresh' };
  return { config, db, store, clock, client, ctx, linkedIncident, refreshJob };
}

async function budgetComputation(world: SloWorld, out: Out): Promise<void> {
  const { config, db, store, clock, client, ctx, linkedIncident, refreshJob } = jobWorld(world, 'budget.db');
  const incident = await linkedIncident();
  const job = refreshJob(incident.id);

  /** The job, then the header its sync job would post (rendered and serialised as the Web API client sends it; not posted). */
  const botComputation = async (context: EffectContext) => {
    await refreshSlo(context, job);
    const current = (await store.incidents.get(incident.id))!;
    const blocks = incidentHeaderBlocks(current, await store.roles.current(incident.id), await headerFacts(context, incident.id));
    return JSON.stringify({ text: incidentHeaderText(current), blocks }).length;
  };

  // One untimed pass records what the job asks (expression and evaluation time), in its order.
  const asked: { expr: string; at: Date }[] = [];
  const recording: PrometheusQueries = {
    queryValue: (expr, at) => {
      asked.push({ expr, at });
      return client.queryValue(expr, at);
    },
    querySeries: () => Promise.reject(new Error('the refresh job asks no range query')),
  };
  await botComputation(jobContext(config, store, clock, recording, client.server));
  const stored = await store.sloFigures.forIncident(incident.id);
  const notMeasured = stored.filter((s) => s.figures.incident.kind !== 'measured' || s.figures.status.kind !== 'measured');
  if (stored.length !== SLO_COUNT || notMeasured.length > 0) {
    throw new Error(`the refresh did not measure all ${SLO_COUNT} SLOs: ${JSON.stringify(notMeasured.map((s) => s.figures))}`);
  }
  // The same queries alone: all at once, as the job sends them (every SLO at once, each SLO's three at once).
  const queriesAlone = () => Promise.all(asked.map((q) => client.queryValue(q.expr, q.at)));

  const arms = [
    { label: 'the bot: the whole slo.refresh job + header', run: () => botComputation(ctx), times: [] as number[], cpu: [] as number[] },
    { label: 'the same queries alone (PrometheusClient)', run: queriesAlone, times: [] as number[], cpu: [] as number[] },
    { label: 'the same queries alone, again (noise)', run: queriesAlone, times: [] as number[], cpu: [] as number[] },
  ];
  for (let r = 0; r < WARM_UP_ROUNDS; r++) for (const arm of arms) await arm.run();
  for (let r = 0; r < ROUNDS; r++) {
    // Each arm takes each place in the round in turn, so none always runs right after the same one.
    for (let k = 0; k < arms.length; k++) {
      const arm = arms[(r + k) % arms.length]!;
      const began = performance.now();
      const cpu = process.cpuUsage();
      await arm.run();
      arm.times.push(performance.now() - began);
      const used = process.cpuUsage(cpu);
      arm.cpu.push((used.user + used.system) / 1000);
    }
  }
  db.$client.close();

  const [bot, alone, again] = arms.map((a) => ({ p50: median(a.times), p99: percentile(a.times, 99), cpu: median(a.cpu) })) as [Figures, Figures, Figures];
  out(`## SLO budget: ${SLO_COUNT} SLOs over a 30-day window, one linked incident`);
  out();
  out(
    `Prometheus ${world.prometheus.url}, 35 days of one-minute samples for ${SLO_COUNT} jobs; ${asked.length} instant queries per computation, sent at once. ` +
      `${ROUNDS} rounds after ${WARM_UP_ROUNDS} of warm-up, the arms' order rotated. CPU: this process's (the job, the client parsing answers), not Prometheus's.`,
  );
  out();
  out('| computation | runs | p50 | p99 | CPU p50 |');
  out('|---|---|---|---|---|');
  for (const [i, arm] of arms.entries()) {
    const f = [bot, alone, again][i]!;
    out(`| ${arm.label} | ${arm.times.length} | ${ms(f.p50)} | ${ms(f.p99)} | ${ms(f.cpu)} |`);
  }
  out();
  out('| p50 ratio: bot ÷ queries alone (target ≤ 1.2×) | noise: queries alone again ÷ queries alone | the bot\'s own CPU (bot − queries alone, p50s) |');
  out('|---|---|---|');
  out(`| ${(bot.p50 / alone.p50).toFixed(3)}× | ${(again.p50 / alone.p50).toFixed(3)}× | ${ms(bot.cpu - alone.cpu)} |`);
}

/**
 * One periodic refresh with 50 linked incidents of the service, as the outbox
 * runs it: the scheduler queues all 50 jobs at once and the outbox runs them
 * together (its concurrency is 64). Each incident's own impact query is asked
 * (50 × 10), the SLO window and last-hour queries once per SLO for all of them
 * (SharedBudgetStatuses), at most 8 in flight (PrometheusClient). Measured
 * once, for what it tells about the figures: how many come back missing.
 */
async function oneTickOfFifty(world: SloWorld, out: Out): Promise<void> {
  const { db, store, ctx, linkedIncident, refreshJob } = jobWorld(world, 'tick.db');
  // One after another: each declaration moves the shared clock.
  const incidents = [];
  for (let i = 0; i < 50; i++) incidents.push(await linkedIncident());
  const began = performance.now();
  await Promise.all(incidents.map((incident) => refreshSlo(ctx, refreshJob(incident.id))));
  const tookMs = performance.now() - began;
  const figures = [];
  for (const incident of incidents) for (const s of await store.sloFigures.forIncident(incident.id)) figures.push(s.figures);
  const reasons = new Map<string, number>();
  for (const f of figures) {
    for (const part of [f.incident, f.status]) if (part.kind === 'missing') reasons.set(part.reason, (reasons.get(part.reason) ?? 0) + 1);
  }
  const missing = figures.filter((f) => f.incident.kind === 'missing' || f.status.kind === 'missing').length;
  db.$client.close();
  out(
    `One periodic refresh of 50 linked incidents at once (as the outbox runs a tick's jobs together; ${incidents.length * SLO_COUNT} impact queries, the SLOs' window and last-hour queries shared): ${ms(tookMs)}; ` +
      `${missing} of ${figures.length} SLO figures with a part missing${reasons.size ? ` (${[...reasons].map(([reason, n]) => `${n}× "${reason}"`).join('; ')})` : ''}.`,
  );
}

export async function sloBenchmarks(out: Out): Promise<void> {
  if (!findPrometheusBinaries()) {
    out(`## SLO figures: skipped, ${PROMETHEUS_MISSING}`);
    return;
  }
  const world = await startSloWorld();
  try {
    await budgetComputation(world, out);
    out();
    await oneTickOfFifty(world, out);
    out();
    await ackWhileRefreshing(world, out);
  } finally {
    await world.dispose();
  }
}
