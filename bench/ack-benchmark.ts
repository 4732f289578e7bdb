/**
 * The `ack` and `ack-postgres` sections: `/incident declare` acknowledged by
 * the bot against a bare Bolt app, and the bot's set-up against the floor
 * apps, every app measured in alternating rounds of one run. With a
 * PostgreSQL database the same bot runs twice, on SQLite and on PostgreSQL,
 * so both stores are held against the same baselines.
 */
import { SlackStandIn } from '../test/support/slack-stand-in.js';
import { measureAcks, setupTimes, startTarget, stopTargets, summarize, type Sample, type Target } from './ack-latency.js';
import { median, ms } from './stats.js';

type Out = (line?: string) => void;

/** One bot under measurement and what was measured of it. */
interface Bot {
  readonly store: 'SQLite' | 'PostgreSQL';
  readonly target: Target;
  /** Declarations sent one at a time, and in bursts of 50: their set-ups are timed from these. */
  readonly singles: Sample[];
  readonly bursts: Sample[];
}

/** Resolves once the stand-in has had no Web API call for `ms`: the bots have nothing left to do. */
export async function quiet(slack: SlackStandIn, ms = 300): Promise<void> {
  for (;;) {
    const last = slack.calls.at(-1)?.at ?? 0;
    if (Date.now() - last >= ms) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Each round takes the bots in turn, the other way round every second round, so neither always follows the bare apps. */
const inTurn = <T>(items: readonly T[], round: number): readonly T[] => (round % 2 === 0 ? items : [...items].reverse());

/**
 * Runs the section. `postgresUrl` adds the bot on that (fresh) PostgreSQL
 * database beside the one on SQLite; without it, the SQLite bot alone, as
 * `npm run bench -- ack` has always measured it.
 */
export async function ackBenchmarks(out: Out, postgresUrl?: string): Promise<void> {
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
  const targets: Target[] = [];
  const started = async (target: Promise<Target>) => {
    targets.push(await target);
    return targets.at(-1)!;
  };
  try {
    const bare = await started(startTarget('bare', slack.apiUrl));
    // A second, identical bare app: its ratio to the first is what noise alone gives (an A/A test).
    const bare2 = await started(startTarget('bare', slack.apiUrl));
    const bots: Bot[] = [{ store: 'SQLite', target: await started(startTarget('bot', slack.apiUrl)), singles: [], bursts: [] }];
    if (postgresUrl) bots.push({ store: 'PostgreSQL', target: await started(startTarget('bot-postgres', slack.apiUrl, {}, postgresUrl)), singles: [], bursts: [] });
    // The set-up floor: Bolt apps that make the same four calls with nothing else (floor-app.ts).
    const floors = [
      { label: 'floor: Bolt app, no database, Bolt’s Web API client', target: await started(startTarget('floor-client', slack.apiUrl)), samples: [] as Sample[] },
      { label: 'floor: Bolt app, no database, bare node:http', target: await started(startTarget('floor-http', slack.apiUrl)), samples: [] as Sample[] },
    ];
    // Warm them all (JIT, connections, SQLite pages, PostgreSQL's pool) before measuring.
    for (const target of targets) await measureAcks(target, slack, 10, 5);
    await quiet(slack);

    out('## /incident declare: ack latency (signed HTTP, loopback)');
    out();
    out('| concurrency | store | requests | bare Bolt p50 | bare Bolt p99 | bot p50 | bot p99 | p99 ratio (target ≤ 1.25) | noise: second bare ÷ bare |');
    out('|---|---|---|---|---|---|---|---|---|');
    for (const [concurrency, rounds] of [[1, 300], [50, 12]] as const) {
      // Each phase starts with the bots idle: the one-at-a-time set-ups must not spill into the bursts.
      for (const bot of bots) await setupTimes(slack, bot.singles, pinnedAt);
      await quiet(slack);
      // Interleave the apps round by round so drift in the machine hits them all alike.
      const bareAcks: number[] = [];
      const bare2Acks: number[] = [];
      const botAcks = new Map<Bot, number[]>(bots.map((bot) => [bot, []]));
      for (let r = 0; r < rounds; r++) {
        bareAcks.push(...(await measureAcks(bare, slack, concurrency, 1)).map((s) => s.ackMs));
        bare2Acks.push(...(await measureAcks(bare2, slack, concurrency, 1)).map((s) => s.ackMs));
        for (const bot of inTurn(bots, r)) {
          const samples = await measureAcks(bot.target, slack, concurrency, 1);
          botAcks.get(bot)!.push(...samples.map((s) => s.ackMs));
          if (concurrency === 1) {
            bot.singles.push(...samples);
            continue;
          }
          // Each burst is measured on its own: wait until the bot has set up every
          // incident of this burst before the next one (a burst of 50 at once, not
          // a sustained 50 at every moment)...
          bot.bursts.push(...samples);
          const times = await setupTimes(slack, samples, pinnedAt);
          // ...and until the bot has finished everything else the burst started (announcements, topics).
          await quiet(slack);
          if (process.env.BENCH_VERBOSE) process.stderr.write(`${bot.store} burst ${r}: set-up max ${Math.max(...times).toFixed(0)} ms, median ${median(times).toFixed(0)} ms\n`);
        }
        if (concurrency === 1) continue;
        // The same burst through each floor app, in the same round so drift hits all alike.
        for (const floor of floors) {
          const samples = await measureAcks(floor.target, slack, concurrency, 1);
          floor.samples.push(...samples);
          await setupTimes(slack, samples, pinnedAt);
          await quiet(slack);
        }
      }
      const b = summarize(bareAcks);
      const b2 = summarize(bare2Acks);
      for (const bot of bots) {
        const a = summarize(botAcks.get(bot)!);
        out(`| ${concurrency} | ${bot.store} | ${a.n} each | ${ms(b.p50)} | ${ms(b.p99)} | ${ms(a.p50)} | ${ms(a.p99)} | ${(a.p99 / b.p99).toFixed(2)}× | ${(b2.p99 / b.p99).toFixed(2)}× |`);
      }
    }
    // One incident alone: declare, wait for its header to be pinned, then the next (the bots in turn).
    const alone = new Map<Bot, number[]>(bots.map((bot) => [bot, []]));
    for (let i = 0; i < 30; i++) {
      for (const bot of inTurn(bots, i)) {
        const [sample] = await measureAcks(bot.target, slack, 1, 1);
        alone.get(bot)!.push(...(await setupTimes(slack, [sample!], pinnedAt)));
      }
    }
    const burstSetups = new Map<Bot, ReturnType<typeof summarize>>();
    for (const bot of bots) burstSetups.set(bot, summarize(await setupTimes(slack, bot.bursts, pinnedAt)));
    out();
    out('## Time to a fully set-up incident');
    out();
    out('From sending the command to the header pinned in the new channel (channel created, declarer invited, header posted and pinned).');
    out();
    out('| store | declarations | incidents | p50 | p99 |');
    out('|---|---|---|---|---|');
    for (const bot of bots) {
      const singles = summarize(alone.get(bot)!);
      const setups = burstSetups.get(bot)!;
      out(`| ${bot.store} | one alone (the previous one set up) | ${singles.n} | ${ms(singles.p50)} | ${ms(singles.p99)} |`);
      out(`| ${bot.store} | bursts of 50 concurrent | ${setups.n} | ${ms(setups.p50)} | ${ms(setups.p99)} |`);
    }
    out();
    out('The floor rows are Bolt apps that make the same four calls in their listener and nothing else (bench/floor-app.ts): what this machine allows.');
    out();
    out(`| floor | incidents | p50 | p99 | ${bots.map((bot) => `${bot.store} bot p99 ÷ floor p99`).join(' | ')} |`);
    out(`|---|---|---|---|${bots.map(() => '---|').join('')}`);
    for (const [i, floor] of floors.entries()) {
      const f = summarize(await setupTimes(slack, floor.samples, pinnedAt));
      // The target is set against the floor that uses the same Web API client as the bot.
      const ratios = bots.map((bot) => `${(burstSetups.get(bot)!.p99 / f.p99).toFixed(2)}×${i === 0 ? ' (≤ 1.1×)' : ''}`);
      out(`| ${floor.label}, bursts of 50 | ${f.n} | ${ms(f.p50)} | ${ms(f.p99)} | ${ratios.join(' | ')} |`);
    }
  } finally {
    await stopTargets(targets);
    await slack.stop();
  }
}
