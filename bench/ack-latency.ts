/**
 * Ack latency of `/incident declare` sent as signed HTTP, the bot next to a
 * bare Bolt app in the same run; and, for the bot, the time from sending the
 * command to a fully set-up incident (channel created, header pinned).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { postSigned, slashCommandBody } from '../test/support/signed-requests.js';
import type { SlackStandIn } from '../test/support/slack-stand-in.js';
import { median, percentile } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Target {
  readonly url: string;
  readonly child: ChildProcess;
}

/** What target.ts runs: see there. */
export type TargetMode = 'bot' | 'bot-postgres' | 'bare' | 'floor-client' | 'floor-http' | 'sink';

/**
 * `env` is added to the driver's environment for this process (the SLO
 * section's settings); `databaseUrl` is the PostgreSQL database of a
 * `bot-postgres`, one of its own; `cpuProfileDir`, where V8 writes the
 * process's CPU profiles when it exits (ack-profile.ts).
 */
export async function startTarget(mode: TargetMode, slackApiUrl: string, env: Record<string, string> = {}, databaseUrl?: string, cpuProfileDir?: string): Promise<Target> {
  const args = [join(ROOT, 'bench/target.ts'), mode, slackApiUrl, ...(databaseUrl ? [databaseUrl] : [])];
  // Profiled, node itself runs the target (--cpu-prof is refused in NODE_OPTIONS): one profile per thread, written at exit.
  const [command, argv] = cpuProfileDir
    ? [process.execPath, ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`, '--import', 'tsx', ...args]]
    : [join(ROOT, 'node_modules/.bin/tsx'), args];
  const child = spawn(command, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${mode} exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}/slack/events`, child };
}

/** Ends each target and waits until it has exited (before the PostgreSQL it uses stops, say). */
export async function stopTargets(targets: readonly Target[]): Promise<void> {
  await Promise.all(
    targets.map(({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return undefined;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      return exited;
    }),
  );
}

/** One declaration sent: its title's tag (to find its channel) and when it was sent. */
export interface Sample {
  readonly tag: string;
  readonly sentAt: number;
}

/** A declaration and how long its acknowledgement took. */
export interface AckSample extends Sample {
  readonly ackMs: number;
}

let sequence = 0;

/** Sends one declare; resolves with the ack latency in ms and the title's tag. */
async function declareOnce(target: Target, slack: SlackStandIn): Promise<AckSample> {
  const tag = `b${++sequence}`;
  const body = slashCommandBody({ text: `declare sev2 Bench ${tag}`, responseUrl: slack.responseUrl(tag) });
  const sentAt = performance.now();
  const res = await postSigned(target.url, body, 'application/x-www-form-urlencoded');
  const ackMs = performance.now() - sentAt;
  if (res.status !== 200) throw new Error(`ack ${res.status}`);
  return { ackMs, tag, sentAt };
}

export async function measureAcks(target: Target, slack: SlackStandIn, concurrency: number, rounds: number) {
  const samples: AckSample[] = [];
  for (let r = 0; r < rounds; r++) {
    samples.push(...(await Promise.all(Array.from({ length: concurrency }, () => declareOnce(target, slack)))));
  }
  return samples;
}

export function summarize(values: readonly number[]) {
  return { n: values.length, p50: median(values), p99: percentile(values, 99) };
}

/**
 * Set-up time of each sample: from the command's send to the stand-in's
 * pins.add of that incident's header (the last step of a set-up that matters
 * to a responder). Waits for all of them.
 */
export async function setupTimes(slack: SlackStandIn, samples: readonly Sample[], pinnedAt: Map<string, number>): Promise<number[]> {
  const deadline = performance.now() + 60_000;
  while (samples.some((s) => !pinnedAt.has(s.tag)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return samples.map((s) => (pinnedAt.get(s.tag) ?? Number.NaN) - s.sentAt);
}
