/**
 * `npm run bench`: every figure as a ratio against a baseline measured in the
 * same run. See BENCHMARKS.md for the targets and the last figures.
 */
import { SlackStandIn } from '../test/support/slack-stand-in.js';
import { measureAcks, setupTimes, startTarget, summarize, type Sample } from './ack-latency.js';
import { alertStormBenchmark } from './alert-storm.js';
import { digestScaleBenchmark } from './digest-scale.js';
import { sloBenchmarks } from './slo-budget.js';
import { webApiCostBenchmark } from './web-api-cost.js';
import { median, ms } from './stats.js';

const out = (line = '') => process.stdout.write(`${line}\n`);

/** Resolves once the stand-in has had no Web API call for `ms`: the bot has nothing left to do. */
async function quiet(slack: SlackStandIn, ms = 300): Promise<void> {
  for (;;) {
    const last = slack.calls.at(-1)?.at ?? 0;
    if (Date.now() - last >= ms) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function ackBenchmarks(): Promise<void> {
  const slack = new SlackStandIn();
  await slack.start();
  // Set-up is done when the header is pinned: note when the stand-in pins each incident's header.
  const pinnedAt = new Map<string, number>();
  slack.onCall = (call) => {
    if (call.method !== 'pins.add' || call.response.ok !== true) return;
    const name = slack.channels.get(String(call.params.channel))?.name ?? '';
    const tag = /-bench-(b\d+)$/.exec(name)?.[1];
    if (tag) pinnedAt.set(tag, performance.now());
  };
  const bare = await startTarget('bare', slack.apiUrl);
  // A second, identical bare app: its ratio to the first is what noise alone gives (an A/A test).
  const bare2 = await startTarget('bare', slack.apiUrl);
  const bot = await startTarget('bot', slack.apiUrl);
  // The set-up floor: Bolt apps that make the same four calls with nothing else (floor-app.ts).
  const floors = [
    { label: 'floor: Bolt app, no database, Bolt’s Web API client', target: await startTarget('floor-client', slack.apiUrl), samples: [] as Sample[] },
    { label: 'floor: Bolt app, no database, bare node:http', target: await startTarget('floor-http', slack.apiUrl), samples: [] as Sample[] },
  ];
  try {
    // Warm them all (JIT, connections, SQLite pages) before measuring.
    for (const target of [bare, bare2, bot, ...floors.map((f) => f.target)]) await measureAcks(target, slack, 10, 5);
    await quiet(slack);

    out('## /incident declare: ack latency (signed HTTP, loopback)');
    out();
    out('| concurrency | requests | bare Bolt p50 | bare Bolt p99 | bot p50 | bot p99 | p99 ratio (target ≤ 1.25) | noise: second bare ÷ bare |');
    out('|---|---|---|---|---|---|---|---|');
    let setupSamples: Sample[] = [];
    let singleSamples: Sample[] = [];
    for (const [concurrency, rounds] of [[1, 300], [50, 12]] as const) {
      // Each phase starts with the bot idle: the one-at-a-time set-ups must not spill into the bursts.
      await setupTimes(slack, singleSamples, pinnedAt);
      await quiet(slack);
      // Interleave the apps round by round so drift in the machine hits them all alike.
      const bareAcks: number[] = [];
      const bare2Acks: number[] = [];
      const botAcks: number[] = [];
      for (let r = 0; r < rounds; r++) {
        bareAcks.push(...(await measureAcks(bare, slack, concurrency, 1)).map((s) => s.ackMs));
        bare2Acks.push(...(await measureAcks(bare2, slack, concurrency, 1)).map((s) => s.ackMs));
        const botSamples = await measureAcks(bot, slack, concurrency, 1);
        botAcks.push(...botSamples.map((s) => s.ackMs));
        if (concurrency === 1) singleSamples.push(...botSamples);
        // Each burst is measured on its own: wait until the bot has set up every
        // incident of this burst before the next one (a burst of 50 at once, not
        // a sustained 50 at every moment).
        if (concurrency === 50) {
          setupSamples.push(...botSamples);
          const times = await setupTimes(slack, botSamples, pinnedAt);
          // ...and until the bot has finished everything else the burst started (announcements, topics).
          await quiet(slack);
          if (process.env.BENCH_VERBOSE) process.stderr.write(`burst ${r}: set-up max ${Math.max(...times).toFixed(0)} ms, median ${median(times).toFixed(0)} ms\n`);
          // The same burst through each floor app, in the same round so drift hits all alike.
          for (const floor of floors) {
            const samples = await measureAcks(floor.target, slack, concurrency, 1);
            floor.samples.push(...samples);
            await setupTimes(slack, samples, pinnedAt);
            await quiet(slack);
          }
        }
      }
      const b = summarize(bareAcks);
      const a = summarize(botAcks);
      const b2 = summarize(bare2Acks);
      out(`| ${concurrency} | ${a.n} each | ${ms(b.p50)} | ${ms(b.p99)} | ${ms(a.p50)} | ${ms(a.p99)} | ${(a.p99 / b.p99).toFixed(2)}× | ${(b2.p99 / b.p99).toFixed(2)}× |`);
    }
    const setups = summarize(await setupTimes(slack, setupSamples, pinnedAt));
    // One incident alone: declare, wait for its header to be pinned, then the next.
    const aloneTimes: number[] = [];
    for (let i = 0; i < 30; i++) {
      const [sample] = await measureAcks(bot, slack, 1, 1);
      aloneTimes.push(...(await setupTimes(slack, [sample!], pinnedAt)));
    }
    const singles = summarize(aloneTimes);
    out();
    out('## Time to a fully set-up incident');
    out();
    out('From sending the command to the header pinned in the new channel (channel created, declarer invited, header posted and pinned).');
    out();
    out('| declarations | incidents | p50 | p99 |');
    out('|---|---|---|---|');
    out(`| one alone (the previous one set up) | ${singles.n} | ${ms(singles.p50)} | ${ms(singles.p99)} |`);
    out(`| bursts of 50 concurrent | ${setups.n} | ${ms(setups.p50)} | ${ms(setups.p99)} |`);
    out();
    out('The floor rows are Bolt apps that make the same four calls in their listener and nothing else (bench/floor-app.ts): what this machine allows.');
    out();
    out('| floor | incidents | p50 | p99 | bot p99 ÷ floor p99 (target) |');
    out('|---|---|---|---|---|');
    for (const [i, floor] of floors.entries()) {
      const f = summarize(await setupTimes(slack, floor.samples, pinnedAt));
      // The target is set against the floor that uses the same Web API client as the bot.
      out(`| ${floor.label}, bursts of 50 | ${f.n} | ${ms(f.p50)} | ${ms(f.p99)} | ${(setups.p99 / f.p99).toFixed(2)}×${i === 0 ? ' (≤ 1.1×)' : ''} |`);
    }
    setupSamples = [];
    singleSamples = [];
  } finally {
    for (const target of [bare, bare2, bot, ...floors.map((f) => f.target)]) target.child.kill();
    await slack.stop();
  }
}

async function main(): Promise<void> {
  out(`# Benchmarks, ${new Date().toISOString()}, Node ${process.version}`);
  out();
  const only = process.argv[2];
  if (!only || only === 'ack') await ackBenchmarks();
  if (!only || only === 'digest') {
    out();
    await digestScaleBenchmark(out);
  }
  if (!only || only === 'slo') {
    out();
    await sloBenchmarks(out);
  }
  if (!only || only === 'alerts') {
    out();
    await alertStormBenchmark(out);
  }
  if (!only || only === 'client') {
    out();
    await webApiCostBenchmark(out);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
