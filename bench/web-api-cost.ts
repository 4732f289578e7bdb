/**
 * The CPU one Slack Web API call costs the process that makes it: the bot's
 * own WebClient (the options `src/slack/web-client.ts` gives it) against the
 * same client on the transport it comes with, and the same request made
 * with bare `node:http` on kept-alive connections. The
 * caller runs in a child process of its own, so the Slack stand-in serving
 * the calls (in the driver) is not counted; its CPU time over a batch of
 * calls, divided by the calls, is the figure.
 *
 * `npm run bench -- client` runs it alone; `npm run bench` runs it last.
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WebClient } from '@slack/web-api';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { webClientOptions } from '../src/slack/web-client.js';
import { SIGNING_SECRET } from '../test/support/signed-requests.js';
import { BOT_TOKEN, SlackStandIn } from '../test/support/slack-stand-in.js';
import { median } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONCURRENCY = 50;
const CALLS_PER_BATCH = 1000;
const BATCHES = 7;

type Post = () => Promise<unknown>;

/** A chat.postMessage the size of a short status line, as most of the bot's calls are. */
const PARAMS = { channel: 'C0GENERAL', text: 'Status: investigating. Next update in 30 minutes.', unfurl_links: 'false' };

function viaClient(slackApiUrl: string): Post {
  const config = loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slackApiUrl, DATABASE_URL: ':memory:' });
  const client = new WebClient(BOT_TOKEN, webClientOptions(config, pino({ level: 'silent' }), 10_000));
  return () => client.chat.postMessage({ channel: PARAMS.channel, text: PARAMS.text, unfurl_links: false });
}

/** The client with the transport it comes with (v8: the global fetch; v7: axios on Node's global agent). */
function viaClientDefault(slackApiUrl: string): Post {
  const client = new WebClient(BOT_TOKEN, { slackApiUrl, retryConfig: { retries: 0 }, timeout: 10_000 });
  return () => client.chat.postMessage({ channel: PARAMS.channel, text: PARAMS.text, unfurl_links: false });
}

function viaHttp(slackApiUrl: string): Post {
  const agent = new Agent({ keepAlive: true });
  const once: Post = () =>
    new Promise((resolve, reject) => {
      const body = new URLSearchParams(PARAMS).toString();
      const headers = { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) };
      const req = request(`${slackApiUrl}chat.postMessage`, { method: 'POST', agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(JSON.parse(text)));
      });
      req.on('error', reject);
      req.end(body);
    });
  // A kept-alive connection the stand-in closed as it was reused: once more on a fresh one, as a client would.
  return () => once().catch(() => once());
}

/** CPU µs per call over `calls` calls, `CONCURRENCY` in flight at once. */
async function cpuPerCall(post: Post, calls: number): Promise<number> {
  let sent = 0;
  const worker = async () => {
    while (sent < calls) {
      sent++;
      await post();
    }
  };
  const start = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}

/** The child: warms both paths, then measures them in alternating batches so drift hits both alike. */
async function caller(slackApiUrl: string): Promise<void> {
  const paths = { client: viaClient(slackApiUrl), clientDefault: viaClientDefault(slackApiUrl), http: viaHttp(slackApiUrl) };
  for (const post of Object.values(paths)) await cpuPerCall(post, 500);
  const us: Record<keyof typeof paths, number[]> = { client: [], clientDefault: [], http: [] };
  for (let b = 0; b < BATCHES; b++) {
    for (const [name, post] of Object.entries(paths) as [keyof typeof paths, Post][]) {
      (globalThis as { gc?: () => void }).gc?.();
      us[name].push(await cpuPerCall(post, CALLS_PER_BATCH));
    }
  }
  process.stdout.write(`${JSON.stringify(us)}\n`);
}

export async function webApiCostBenchmark(out: (line?: string) => void): Promise<void> {
  const slack = new SlackStandIn();
  await slack.start();
  const apiUrl = slack.apiUrl;
  try {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), 'caller', apiUrl], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`the caller exited with ${code}`);
    const us = JSON.parse(text) as { client: number[]; clientDefault: number[]; http: number[] };
    const http = median(us.http);
    out('## CPU of one Web API call (chat.postMessage, 50 in flight, the caller in its own process)');
    out();
    out(`Median of ${BATCHES} batches of ${CALLS_PER_BATCH} calls each, the paths in alternating batches.`);
    out();
    out('| path | CPU per call | range over batches | ÷ bare node:http |');
    out('|---|---|---|---|');
    const range = (v: number[]) => `${(Math.min(...v) / 1000).toFixed(3)}–${(Math.max(...v) / 1000).toFixed(3)} ms`;
    const row = (label: string, v: number[]) => out(`| ${label} | ${(median(v) / 1000).toFixed(3)} ms | ${range(v)} | ${(median(v) / http).toFixed(2)}× |`);
    row("the bot's WebClient (src/slack/web-client.ts)", us.client);
    row('WebClient with its default transport', us.clientDefault);
    row('bare node:http, kept-alive agent', us.http);
  } finally {
    await slack.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === 'caller') {
  caller(process.argv[3]!).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
