/**
 * `npm run bench -- ack-profile`: where the listeners' thread spends its CPU
 * on one `/incident declare`, the bot beside the bare Bolt app, in bursts of
 * 50 as the ack section sends them. Each app runs under V8's CPU profiler; the
 * samples of its main thread that fall between the first declaration sent and
 * the last piece of work it caused (the bot's set-ups done, the bare app's
 * last ack) are summed by what ran, and divided by the declarations sent.
 *
 * At 50 concurrent the 50th acknowledgement waits for the 49 before it, so
 * the ack p99 ratio follows this per-declaration figure: this section says
 * what a recorded declaration costs beyond a bare acknowledgement.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlackStandIn } from '../test/support/slack-stand-in.js';
import { quiet } from './ack-benchmark.js';
import { measureAcks, startTarget, stopTargets, type TargetMode } from './ack-latency.js';

type Out = (line?: string) => void;

const BURST = 50;
const BURSTS = 20;

/** The fields of V8's .cpuprofile this reads: each sample's node, and the time before it (µs). */
interface CpuProfile {
  readonly nodes: readonly { id: number; callFrame: { functionName: string; url: string } }[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** What a sample was doing, in the words of the section's table. */
function category(functionName: string, url: string): string | undefined {
  if (functionName === '(idle)') return undefined;
  if (functionName === 'exec' && url.includes('better-sqlite3')) return 'SQLite BEGIN IMMEDIATE and COMMIT (waits for the write lock included)';
  if (url.includes('drizzle-orm') || url.includes('better-sqlite3')) return 'SQLite statements (drizzle, better-sqlite3)';
  if (functionName === 'writev' || functionName.startsWith('write') && url === '') return 'writing the answer to the socket';
  if (url.includes('@slack/bolt') || url.includes('tsscmp') || url.includes('raw-body')) return 'Bolt';
  if (url.includes('/src/')) return "the bot's own code (src/)";
  if (url.includes('crypto')) return 'crypto (signature check, ids)';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (url.startsWith('node:')) return "Node's own (HTTP parsing, streams, timers, events)";
  return 'the rest (zod, prom-client, microtasks, …)';
}

/** Milliseconds of the profile's samples inside [from, to] (µs on the monotonic clock), by category. */
function busyByCategory(profile: CpuProfile, from: number, to: number): Map<string, number> {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const totals = new Map<string, number>();
  let at = profile.startTime;
  let covered = false;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i]!;
    if (at < from || at > to) continue;
    covered = true;
    // A sample stands for the time until the next one.
    const span = profile.timeDeltas[i + 1] ?? 0;
    const frame = frames.get(profile.samples[i]!)!;
    const name = category(frame.functionName, frame.url);
    if (name) totals.set(name, (totals.get(name) ?? 0) + span / 1000);
  }
  if (!covered) throw new Error('no CPU sample of the app falls inside the measured window: the clocks do not match');
  return totals;
}

/** Monotonic µs, the clock V8's profiles are stamped with. */
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/** One app profiled through BURSTS bursts: its main thread's busy ms per declaration, by category. */
async function profileApp(mode: TargetMode, slack: SlackStandIn): Promise<Map<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'incident-bench-profile-'));
  try {
    const target = await startTarget(mode, slack.apiUrl, {}, undefined, dir);
    let from: number;
    let to: number;
    try {
      // Warm (JIT, connections, SQLite pages), then measure.
      await measureAcks(target, slack, BURST, 4);
      await quiet(slack);
      from = monotonicMicros();
      let lastAck = Date.now();
      for (let r = 0; r < BURSTS; r++) {
        await measureAcks(target, slack, BURST, 1);
        lastAck = Date.now();
        // The bot's work goes on after its acks (set-ups): a burst ends when the stand-in has heard the last of it.
        await quiet(slack, 100);
      }
      // The window ends with the app's last work: its last ack, or the last Web API call it made after it.
      const end = Math.max(lastAck, slack.calls.at(-1)?.at ?? 0);
      to = monotonicMicros() - (Date.now() - end) * 1000;
    } finally {
      await stopTargets([target]);
    }
    // CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile: thread 0 is the main thread, the listeners'.
    const main = readdirSync(dir).find((f) => f.split('.')[4] === '0');
    if (!main) throw new Error(`no main-thread profile in ${dir}`);
    const profile = JSON.parse(readFileSync(join(dir, main), 'utf8')) as CpuProfile;
    const perDeclaration = new Map<string, number>();
    for (const [name, total] of busyByCategory(profile, from, to)) perDeclaration.set(name, total / (BURST * BURSTS));
    return perDeclaration;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

export async function ackProfileBenchmark(out: Out): Promise<void> {
  const slack = new SlackStandIn();
  await slack.start();
  try {
    const bot = await profileApp('bot', slack);
    const bare = await profileApp('bare', slack);
    const botTotal = sum(bot.values());
    const bareTotal = sum(bare.values());
    out(`## /incident declare: the listeners' thread's CPU per declaration, bursts of ${BURST} (V8's profiler)`);
    out();
    out('| what ran | bot | bare Bolt |');
    out('|---|---|---|');
    const names = [...new Set([...bot.keys(), ...bare.keys()])].sort((a, b) => (bot.get(b) ?? 0) - (bot.get(a) ?? 0));
    const cell = (v: number | undefined) => (v === undefined ? '' : `${v.toFixed(3)} ms`);
    for (const name of names) out(`| ${name} | ${cell(bot.get(name))} | ${cell(bare.get(name))} |`);
    out(`| **busy in all** | **${botTotal.toFixed(3)} ms** | **${bareTotal.toFixed(3)} ms** (bot ÷ bare: ${(botTotal / bareTotal).toFixed(2)}×) |`);
    out();
    out(
      `${BURSTS} bursts of ${BURST} signed \`/incident declare\` to each app, one app after the other, after 4 bursts to warm. ` +
        "A sample stands for the time to the next one, descheduled time inside a system call included (the socket write, SQLite's busy handler).",
    );
  } finally {
    await slack.stop();
  }
}
