/**
 * The declare ack while SLO figures refresh: three bot processes with the same
 * config (the SLO file, the real Prometheus, SLO_REFRESH=1s) and 50 open
 * incidents each. In one ("refreshing") the 50 are linked to the service of
 * the 10 SLOs, impact from two hours back, so its outbox refreshes them
 * without pause; in the other two they are not linked, so they have nothing
 * to refresh. Declarations are sent one at a time to each in turn.
 *
 * Why two more processes and not the same bot before linking: the baseline is
 * then measured in the same rounds as the figure (interleaved, so drift hits
 * both alike), with the same number of open incidents, and the second one
 * gives the noise column (an A/A pair).
 *
 * Why the refreshing bot is stopped (SIGSTOP, about 1 s a round) while the
 * other two are measured: otherwise its refreshes would load the same two
 * cores during the baseline's rounds too, and the ratio would hide the very
 * cost it is there to show.
 *
 * Why Prometheus runs at nice 19: it stands in for a server on other machines,
 * whose CPU is not the bot's; at nice 19 it takes what the bots and the driver
 * leave. It keeps working through the refreshing bot's queries while that bot
 * is stopped (its queue is seconds long), so it is as busy in both arms; the
 * section prints its rate and CPU in each to show it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { postSigned, slashCommandBody } from '../test/support/signed-requests.js';
import { SlackStandIn } from '../test/support/slack-stand-in.js';
import { measureAcks, setupTimes, startTarget, summarize, type Target } from './ack-latency.js';
import { BENCH_SERVICE, processCpuSeconds, prometheusQueriesAnswered, reniceOwnPrometheus, type SloWorld } from './slo-world.js';
import { ms } from './stats.js';

const OPEN_INCIDENTS = 50;
const ROUNDS = 50;
const PER_ROUND = 20;
/**
 * After SIGCONT, before the refreshing bot is measured again: its refreshes
 * under way again, and its stops (about 1 s a round) a small part of its time
 * (a query's 10 s timeout runs on while the bot is stopped).
 */
const RESUME_MS = 3_000;
/** After a bot's round and its set-ups, for the rest of them (topic, announcement), before the next bot's round. */
const SETTLE_MS = 300;

type Out = (line?: string) => void;

/** Everything one bot has done in the stand-in, told apart by its incidents' channels. */
interface Tracked {
  readonly channels: Set<string>;
  /** Header updates (chat.update) showing measured figures, and showing a figure missing. */
  measured: number;
  missing: number;
  /** Channels whose header has shown SLO figures (measured or missing) at least once. */
  readonly refreshed: Set<string>;
}

let replies = 0;

/** Sends `/incident <text>` in `channelId`; resolves with the bot's reply (to the response_url, or in the ack). */
async function slash(slack: SlackStandIn, target: Target, text: string, channelId: string): Promise<string> {
  const id = `slo-bench-${++replies}`;
  const res = await postSigned(target.url, slashCommandBody({ text, channelId, responseUrl: slack.responseUrl(id) }), 'application/x-www-form-urlencoded');
  if (res.status !== 200) throw new Error(`/incident ${text}: HTTP ${res.status}`);
  if (res.body) return res.body;
  await waitFor(() => slack.responsesFor(id).length > 0, 10_000, `the reply to /incident ${text}`);
  return JSON.stringify(slack.responsesFor(id));
}

/** Until `done()`, polling; throws after `timeoutMs` with `what`. */
async function waitFor(done: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const began = performance.now();
  while (!(await done())) {
    if (performance.now() - began > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
  return performance.now() - began;
}

export async function ackWhileRefreshing(world: SloWorld, out: Out): Promise<void> {
  const slack = new SlackStandIn();
  await slack.start();
  const pinnedAt = new Map<string, number>();
  const channelOfTag = new Map<string, string>();
  const tracked = new Map<string, Tracked>();
  const byChannel = new Map<string, Tracked>();
  slack.onCall = (call) => {
    if (call.response.ok !== true) return;
    const channel = String(call.params.channel);
    if (call.method === 'pins.add') {
      const tag = /-bench-(b\d+)$/.exec(slack.channels.get(channel)?.name ?? '')?.[1];
      if (tag) {
        pinnedAt.set(tag, performance.now());
        channelOfTag.set(tag, channel);
      }
    } else if (call.method === 'chat.update') {
      const t = byChannel.get(channel);
      if (!t) return;
      const blocks = String(call.params.blocks ?? '');
      if (blocks.includes('figures missing')) t.missing++;
      else if (blocks.includes('burn rate')) t.measured++;
      else return;
      t.refreshed.add(channel);
    }
  };
  // Opens the kept-alive connection for Prometheus's own metrics before the refreshes begin.
  await prometheusQueriesAnswered(world.prometheus.url);
  const env = { BENCH_SLO_FILES: world.sloFile, BENCH_PROMETHEUS_URL: world.prometheus.url, BENCH_SLO_REFRESH: '1s' };
  const targets = { refreshing: await startTarget('bot', slack.apiUrl, env), idle: await startTarget('bot', slack.apiUrl, env), idle2: await startTarget('bot', slack.apiUrl, env) };
  const { refreshing, idle, idle2 } = targets;
  let stopped = false;
  try {
    // 50 open incidents in each bot, set up (channel made, header pinned).
    for (const [name, target] of Object.entries(targets)) {
      const samples = await measureAcks(target, slack, 10, OPEN_INCIDENTS / 10);
      await setupTimes(slack, samples, pinnedAt);
      const t: Tracked = { channels: new Set(samples.map((s) => channelOfTag.get(s.tag)!)), measured: 0, missing: 0, refreshed: new Set() };
      if (t.channels.size !== OPEN_INCIDENTS || t.channels.has(undefined as never)) throw new Error(`${name}: not every incident was set up`);
      tracked.set(name, t);
      for (const c of t.channels) byChannel.set(c, t);
    }
    const linked = tracked.get('refreshing')!;
    for (const channel of linked.channels) {
      const linkReply = await slash(slack, refreshing, `service ${BENCH_SERVICE}`, channel);
      if (!linkReply.includes('is linked to')) throw new Error(`linking failed: ${linkReply}`);
      const impactReply = await slash(slack, refreshing, 'impact started 2h ago', channel);
      if (!impactReply.includes('Impact of')) throw new Error(`recording the impact failed: ${impactReply}`);
    }
    // Prometheus stands in for a server elsewhere: it takes only the CPU the bots and the driver leave.
    const prometheusPid = reniceOwnPrometheus(world.prometheus.port, 19);
    // Every linked header has shown its SLO figures (some may be missing: Prometheus cannot answer all in time).
    await waitFor(() => linked.refreshed.size === OPEN_INCIDENTS, 180_000, 'every linked header to show SLO figures');

    for (const target of [refreshing, idle, idle2]) await measureAcks(target, slack, 1, 20);
    const acks = { refreshing: [] as number[], idle: [] as number[], idle2: [] as number[] };
    // Prometheus's work in each phase, to show it was as busy while the baseline was measured.
    // Counted from one reading of /metrics to the next, so the time is that of the counts, fetches included.
    const phases = { refreshing: { ms: 0, cpu: 0, queries: 0 }, idle: { ms: 0, cpu: 0, queries: 0 } };
    const timed = async (phase: keyof typeof phases, fn: () => Promise<void>) => {
      const before = { queries: await prometheusQueriesAnswered(world.prometheus.url), at: performance.now(), cpu: processCpuSeconds(prometheusPid) };
      await fn();
      const queries = await prometheusQueriesAnswered(world.prometheus.url);
      phases[phase].ms += performance.now() - before.at;
      phases[phase].cpu += processCpuSeconds(prometheusPid) - before.cpu;
      phases[phase].queries += queries - before.queries;
    };
    // Header refreshes while the refreshing bot runs (resumed, then measured): from SIGCONT to SIGSTOP.
    let runningMs = 0;
    const refreshed = { measured: 0, missing: 0 };
    let runningSince = { at: performance.now(), measured: linked.measured, missing: linked.missing };
    /*
     * One bot's round, then its set-ups of that round finished and a moment more:
     * each bot is measured with the one before it done with its own declarations,
     * not sharing the cores with their set-ups.
     */
    const round = async (name: keyof typeof targets) => {
      const samples = await measureAcks(targets[name], slack, 1, PER_ROUND);
      acks[name].push(...samples.map((s) => s.ackMs));
      await setupTimes(slack, samples, pinnedAt);
      await sleep(SETTLE_MS);
    };
    for (let r = 0; r < ROUNDS; r++) {
      await timed('refreshing', () => round('refreshing'));
      refreshing.child.kill('SIGSTOP');
      stopped = true;
      runningMs += performance.now() - runningSince.at;
      refreshed.measured += linked.measured - runningSince.measured;
      refreshed.missing += linked.missing - runningSince.missing;
      await timed('idle', async () => {
        for (const name of r % 2 === 0 ? (['idle', 'idle2'] as const) : (['idle2', 'idle'] as const)) await round(name);
      });
      refreshing.child.kill('SIGCONT');
      stopped = false;
      runningSince = { at: performance.now(), measured: linked.measured, missing: linked.missing };
      if (process.env.BENCH_VERBOSE) process.stderr.write(`slo round ${r}: header refreshes so far ${linked.measured} measured, ${linked.missing} with a figure missing\n`);
      await sleep(RESUME_MS);
    }

    const a = summarize(acks.refreshing);
    const b = summarize(acks.idle);
    const b2 = summarize(acks.idle2);
    out(`## Declare ack while ${OPEN_INCIDENTS} linked incidents refresh their SLO figures`);
    out();
    out(
      `Three bots, each with ${OPEN_INCIDENTS} open incidents; in one they are linked to the ${BENCH_SERVICE} service (10 SLOs, 30 queries a refresh), SLO_REFRESH=1s. ` +
        `/incident declare sent one at a time, ${PER_ROUND} to each bot in turn, ${ROUNDS} rounds; the refreshing bot stopped while the others are measured; Prometheus at nice 19 throughout.`,
    );
    out();
    out('| declarations, 1 at a time | requests | no linked incidents p50 | p99 | 50 refreshing p50 | p99 | p99 ratio (target ≤ 1.1×) | noise: second bot without ÷ first |');
    out('|---|---|---|---|---|---|---|---|');
    out(`| ${ROUNDS} rounds of ${PER_ROUND} | ${a.n} each | ${ms(b.p50)} | ${ms(b.p99)} | ${ms(a.p50)} | ${ms(a.p99)} | ${(a.p99 / b.p99).toFixed(2)}× | ${(b2.p99 / b.p99).toFixed(2)}× |`);
    out();
    const rate = (n: number, ms: number) => (n / (ms / 1000)).toFixed(1);
    out(
      `The refreshing bot, while it ran (${(runningMs / 1000).toFixed(1)} s): ${rate(refreshed.measured, runningMs)} header updates a second with every figure measured, ${rate(refreshed.missing, runningMs)} with a figure missing. ` +
        `Prometheus answered ${rate(phases.refreshing.queries, phases.refreshing.ms)} queries a second on ${(phases.refreshing.cpu / (phases.refreshing.ms / 1000)).toFixed(2)} cores while the refreshing bot was measured, ` +
        `${rate(phases.idle.queries, phases.idle.ms)} on ${(phases.idle.cpu / (phases.idle.ms / 1000)).toFixed(2)} cores while the other two were.`,
    );
  } finally {
    if (stopped) refreshing.child.kill('SIGCONT');
    for (const target of Object.values(targets)) target.child.kill();
    await slack.stop();
  }
}
