/**
 * `npm run bench -- alerts`: an alert storm as Alertmanager delivers it.
 * 1,000 alerts in 50 groups arrive over 10 seconds: each second every group
 * gains two alerts and Alertmanager posts the group again with all it holds
 * (its group_interval), so 500 webhooks in ten waves of 50 at once.
 *
 * - Webhook answer p99 ÷ the same schedule of requests to /healthz on the same
 *   bot while idle (the cheapest route: what the machine and node:http cost).
 *   Beside it, the same webhooks sent to a bare node:http sink that reads each
 *   body and answers (bare-webhook-sink.ts) ÷ that /healthz: what posting the
 *   bodies costs with no bot at all, the part of the ratio no change to the
 *   bot can take away.
 * - Time from the storm's first webhook to the 50th incident set up (header
 *   pinned) ÷ the same for 50 concurrent `/incident declare` on a fresh bot.
 * Each baseline is measured twice; the ratio of the two is the noise column.
 */
import { readFileSync } from 'node:fs';
import { SlackStandInThread } from './slack-stand-in-thread.js';
import { postSigned, slashCommandBody } from '../test/support/signed-requests.js';
import { startTarget, summarize, type Target } from './ack-latency.js';
import { median, ms } from './stats.js';

const TOKEN = 'bench-alertmanager-token-0123456789';
const GROUPS = 50;
const PER_GROUP = 20;
const WAVES = 10;
const WAVE_GAP_MS = 1_000;

type Out = (line?: string) => void;

const base = (target: Target) => target.url.replace(/\/slack\/events$/, '');

const FIXTURE = JSON.parse(readFileSync(new URL('../test/fixtures/alertmanager/firing.json', import.meta.url), 'utf8')) as Record<string, unknown> & {
  alerts: Record<string, unknown>[];
};

/** Group `g` as Alertmanager posts it once it holds `count` alerts. Distinct alert names: no merge offers. */
function notification(g: number, count: number, startsAt: string): string {
  const alertname = `StormBench${g}`;
  const labels = { alertname, severity: 'critical' };
  const alerts = Array.from({ length: count }, (_, i) => ({
    ...FIXTURE.alerts[0],
    status: 'firing',
    labels: { ...labels, instance: `i-${i}` },
    annotations: { summary: `Bench a${g}`, description: 'Storm bench' },
    startsAt,
    endsAt: '0001-01-01T00:00:00Z',
    fingerprint: `${g.toString(16).padStart(4, '0')}${i.toString(16).padStart(12, '0')}`,
  }));
  return JSON.stringify({ ...FIXTURE, groupKey: `{}:{alertname="${alertname}"}`, groupLabels: { alertname }, commonLabels: labels, commonAnnotations: {}, alerts });
}

async function timed(send: () => Promise<Response>): Promise<number> {
  const started = performance.now();
  const res = await send();
  await res.arrayBuffer();
  const took = performance.now() - started;
  if (res.status !== 200) throw new Error(`answered ${res.status}`);
  return took;
}

/** Ten waves of 50 concurrent requests one second apart; every answer time. */
async function waves(request: (g: number, wave: number) => () => Promise<Response>): Promise<number[]> {
  const times: number[] = [];
  for (let w = 0; w < WAVES; w++) {
    const started = performance.now();
    const wave = await Promise.all(Array.from({ length: GROUPS }, (_, g) => timed(request(g, w))));
    if (process.env.BENCH_VERBOSE) process.stderr.write(`wave ${w}: answer max ${Math.max(...wave).toFixed(1)} ms, median ${median(wave).toFixed(1)} ms\n`);
    times.push(...wave);
    const left = WAVE_GAP_MS - (performance.now() - started);
    if (w < WAVES - 1 && left > 0) await new Promise((r) => setTimeout(r, left));
  }
  return times;
}

/** Resolves when `n` tags have been pinned; the time of the last. */
async function pinned(pinnedAt: Map<string, number>, tags: readonly string[]): Promise<number> {
  const deadline = performance.now() + 120_000;
  while (tags.some((t) => !pinnedAt.has(t))) {
    if (performance.now() > deadline) throw new Error(`only ${tags.filter((t) => pinnedAt.has(t)).length} of ${tags.length} incidents were set up`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Math.max(...tags.map((t) => pinnedAt.get(t)!));
}

/** 50 concurrent `/incident declare`; from the first send to the 50th header pinned. */
async function slashBurst(target: Target, slack: SlackStandInThread, pinnedAt: Map<string, number>, run: number): Promise<number> {
  const tags = Array.from({ length: GROUPS }, (_, i) => `s${run}x${i}`);
  const started = performance.now();
  await Promise.all(
    tags.map(async (tag) => {
      const res = await postSigned(target.url, slashCommandBody({ text: `declare sev2 Bench ${tag}`, responseUrl: slack.responseUrl(tag) }), 'application/x-www-form-urlencoded');
      if (res.status !== 200) throw new Error(`ack ${res.status}`);
    }),
  );
  return (await pinned(pinnedAt, tags)) - started;
}

export async function alertStormBenchmark(out: Out): Promise<void> {
  const slack = new SlackStandInThread();
  await slack.start();
  const pinnedAt = new Map<string, number>();
  slack.onPinned = (channelName) => {
    const tag = /-bench-([a-z0-9]+)$/.exec(channelName)?.[1];
    if (tag && !pinnedAt.has(tag)) pinnedAt.set(tag, performance.now());
  };
  const env = { BENCH_ALERTMANAGER_WEBHOOK_TOKEN: TOKEN };
  const storm = await startTarget('bot', slack.apiUrl, env);
  const slashA = await startTarget('bot', slack.apiUrl, env);
  const slashB = await startTarget('bot', slack.apiUrl, env);
  const sink = await startTarget('sink', slack.apiUrl);
  try {
    const health = (t: Target) => () => () => fetch(`${base(t)}/healthz`);
    // Warm-up: JIT and connections, on every route measured.
    for (const t of [storm, slashA, slashB, sink]) await Promise.all(Array.from({ length: 20 }, () => timed(health(t)())));
    const webhookTo = (t: Target) => (g: number, count: number, startsAt: string) => () =>
      fetch(`${base(t)}/alertmanager/webhook`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: notification(g, count, startsAt) });
    const webhook = webhookTo(storm);
    // Warm-up of the paths measured: one group of its own on the storm bot, one declaration on each slash bot.
    await timed(webhook(GROUPS, 1, new Date().toISOString()));
    await timed(webhookTo(sink)(GROUPS, 1, new Date().toISOString()));
    for (const [i, t] of [slashA, slashB].entries()) {
      await postSigned(t.url, slashCommandBody({ text: `declare sev2 Bench w${i}`, responseUrl: slack.responseUrl(`w${i}`) }), 'application/x-www-form-urlencoded');
    }
    await pinned(pinnedAt, [`a${GROUPS}`, 'w0', 'w1']);

    const healthA = summarize(await waves(health(storm)));
    const healthB = summarize(await waves(health(storm)));
    const sinkTimes = summarize(await waves((g, w) => webhookTo(sink)(g, (w + 1) * (PER_GROUP / WAVES), new Date().toISOString())));
    const startsAt = new Date().toISOString();
    const stormStarted = performance.now();
    const answers = await waves((g, w) => webhook(g, (w + 1) * (PER_GROUP / WAVES), startsAt));
    const webhookTimes = summarize(answers);
    const stormSetUp = (await pinned(pinnedAt, Array.from({ length: GROUPS }, (_, g) => `a${g}`))) - stormStarted;
    // Exactly one incident per group: a second one would have made a second channel for the same title.
    const stormChannels = (await slack.channelNames()).filter((name) => /-bench-a\d+$/.test(name)).length;
    if (stormChannels !== GROUPS + 1) throw new Error(`the storm made ${stormChannels - 1} incident channels for ${GROUPS} groups`);
    const slash1 = await slashBurst(slashA, slack, pinnedAt, 1);
    const slash2 = await slashBurst(slashB, slack, pinnedAt, 2);

    out('## Alert storm: 1,000 alerts in 50 groups over 10 s (500 webhooks, ten waves of 50 at once)');
    out();
    out('| figure | bot | baseline | ratio (target) | noise: baseline again ÷ baseline |');
    out('|---|---|---|---|---|');
    out(
      `| webhook answer p99 ÷ /healthz p99, same schedule | ${ms(webhookTimes.p99)} (p50 ${ms(webhookTimes.p50)}) | ${ms(healthA.p99)} (p50 ${ms(healthA.p50)}) | ${(webhookTimes.p99 / healthA.p99).toFixed(2)}× (≤ 2×) | ${(healthB.p99 / healthA.p99).toFixed(2)}× |`,
    );
    out(
      `| the same webhooks to a bare node:http sink that reads each body ÷ /healthz p99: the requests' own cost | ${ms(sinkTimes.p99)} (p50 ${ms(sinkTimes.p50)}) | ${ms(healthA.p99)} | ${(sinkTimes.p99 / healthA.p99).toFixed(2)}× | |`,
    );
    out(`| first webhook to the 50th incident set up ÷ 50 concurrent slash declarations to the 50th set up | ${ms(stormSetUp)} | ${ms(slash1)} | ${(stormSetUp / slash1).toFixed(2)}× (≤ 1.2×) | ${(slash2 / slash1).toFixed(2)}× |`);
    out();
    out(`Webhooks answered: ${webhookTimes.n}, all 200 (target: each under 1 s), the slowest in ${ms(Math.max(...answers))}; the bot's p99 ÷ the sink's: ${(webhookTimes.p99 / sinkTimes.p99).toFixed(2)}×; incidents opened by the storm: ${stormChannels - 1} for ${GROUPS} groups.`);
  } finally {
    for (const t of [storm, slashA, slashB, sink]) t.child.kill();
    await slack.stop();
  }
}
