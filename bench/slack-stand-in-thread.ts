/**
 * The Slack stand-in on a thread of its own, for sections that time answers
 * on the driver's event loop while the bot under test calls Slack: on the
 * driver's own loop, each Web API call the bot made delayed the reading of
 * the answers being timed, by as much as serving it took. Slack is another
 * host; here it is at least another event loop. What the driver needs of it
 * comes by message: the pins (the end of a set-up) and the channels' names.
 */
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { SlackStandIn } from '../test/support/slack-stand-in.js';

type FromThread = { kind: 'started'; url: string } | { kind: 'pinned'; channelName: string } | { kind: 'channels'; names: string[] };

if (!isMainThread && parentPort) {
  const slack = new SlackStandIn();
  const port = parentPort;
  slack.onCall = (call) => {
    if (call.method !== 'pins.add' || call.response.ok !== true) return;
    port.postMessage({ kind: 'pinned', channelName: slack.channels.get(String(call.params.channel))?.name ?? '' } satisfies FromThread);
  };
  port.on('message', (message: 'channels' | 'stop') => {
    if (message === 'channels') port.postMessage({ kind: 'channels', names: [...slack.channels.values()].map((c) => c.name ?? '') } satisfies FromThread);
    if (message === 'stop') void slack.stop().then(() => port.close());
  });
  void slack.start().then((url) => port.postMessage({ kind: 'started', url } satisfies FromThread));
}

export class SlackStandInThread {
  // A worker does not inherit the driver's tsx loader: it registers one, then loads this file as TypeScript.
  private readonly thread = new Worker(`import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`, { eval: true });
  private url = '';
  private channelsWanted: ((names: string[]) => void)[] = [];
  /** Called on the driver's loop for each header pinned, with its channel's name. */
  onPinned: ((channelName: string) => void) | undefined;

  async start(): Promise<void> {
    this.url = await new Promise<string>((resolve, reject) => {
      this.thread.once('error', reject);
      this.thread.on('message', (message: FromThread) => {
        if (message.kind === 'started') resolve(message.url);
        if (message.kind === 'pinned') this.onPinned?.(message.channelName);
        if (message.kind === 'channels') this.channelsWanted.shift()?.(message.names);
      });
    });
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}/response/${id}`;
  }

  channelNames(): Promise<string[]> {
    return new Promise((resolve) => {
      this.channelsWanted.push(resolve);
      this.thread.postMessage('channels');
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.thread.once('exit', resolve));
    this.thread.postMessage('stop');
    await exited;
  }
}
