import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { WebAPIPlatformError } from '@slack/web-api';
import { failing, passing, readinessHandler, readinessPhase, readinessReport, type CheckResult, type ReadinessSources } from '../../../src/http/readiness.js';
import { SocketWatch, TokenWatch } from '../../../src/http/readiness-slack.js';

const started = { databaseReady: true, slackReady: true, startedAt: new Date() };
const allOk = { database: passing, slackToken: passing, socketMode: passing, outbox: passing };

describe('readinessReport', () => {
  it('is ready with every check ok, or off where it does not apply', () => {
    expect(readinessReport('running', { ...allOk, socketMode: { status: 'off' } }, started)).toEqual({
      status: 'ready',
      checks: { database: 'ok', slackToken: 'ok', socketMode: 'off', outbox: 'ok' },
    });
  });

  it('lists one reason per failing check, in the order of the checks', () => {
    const body = readinessReport('running', { ...allOk, outbox: failing('Outbox behind.'), database: failing('Database locked.') }, started);
    expect(body).toEqual({
      status: 'unready',
      reasons: ['Database locked.', 'Outbox behind.'],
      checks: { database: 'failing', slackToken: 'ok', socketMode: 'ok', outbox: 'failing' },
    });
  });

  it('is unready while a check has no answer yet', () => {
    const pending: CheckResult = { status: 'pending', reason: 'No answer yet.' };
    expect(readinessReport('running', { ...allOk, slackToken: pending }, started)).toMatchObject({ status: 'unready', reasons: ['No answer yet.'] });
  });

  it('says "starting" before the database is open or Slack has accepted the token, and "stopping" once a stop began', () => {
    expect(readinessPhase({ ...started, slackReady: false }, false)).toBe('starting');
    expect(readinessPhase({ ...started, databaseReady: false }, false)).toBe('starting');
    expect(readinessPhase(started, true)).toBe('stopping');
    expect(readinessPhase(started, false)).toBe('running');
    expect(readinessReport('starting', allOk, { ...started, databaseReady: false })).toMatchObject({
      status: 'starting',
      reasons: ['The bot is still starting: the database is not open yet.'],
    });
    expect(readinessReport('stopping', { ...allOk, outbox: failing('Outbox behind.') }, started)).toMatchObject({
      status: 'stopping',
      reasons: ['The bot is stopping.', 'Outbox behind.'],
    });
  });
});

/** /readyz served by readinessHandler on a real server; resolves with its status and body. */
async function probe(sources: ReadinessSources): Promise<{ status: number; body: unknown }> {
  const handler = readinessHandler(sources);
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`);
    return { status: res.status, body: await res.json() };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('readinessHandler', () => {
  it('runs the checks side by side: one waiting on another does not hold up the answer', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const answer = await probe({
      health: started,
      stopping: () => false,
      checks: {
        // Asked first: run one after another, it would wait for the outbox check forever.
        database: () => gate.then(() => passing),
        slackToken: () => passing,
        socketMode: () => ({ status: 'off' }),
        outbox: () => {
          open();
          return Promise.resolve(passing);
        },
      },
    });
    expect(answer).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', slackToken: 'ok', socketMode: 'off', outbox: 'ok' } } });
  });

  it('fails a check that does not answer within the bound, or throws, or rejects, each with its sentence', async () => {
    const answer = await probe({
      health: started,
      stopping: () => false,
      answerWithinMs: 20,
      checks: {
        database: () => new Promise<CheckResult>(() => undefined),
        slackToken: () => {
          throw new Error('no token watch');
        },
        socketMode: () => Promise.reject(new Error('no socket')),
        outbox: () => Promise.resolve(failing('Outbox behind.')),
      },
    });
    expect(answer).toEqual({
      status: 503,
      body: {
        status: 'unready',
        reasons: ['The database check did not answer within 20 ms.', 'The slackToken check could not run: no token watch.', 'The socketMode check could not run: no socket.', 'Outbox behind.'],
        checks: { database: 'failing', slackToken: 'failing', socketMode: 'failing', outbox: 'failing' },
      },
    });
  });
});

describe('TokenWatch', () => {
  const refusal = (error: string) => new WebAPIPlatformError({ ok: false, error } as never);

  it('fails on a refusal, keeps the last answer through an outage, and passes once Slack accepts the token again', async () => {
    const answers: (Error | undefined)[] = [];
    const watch = new TokenWatch({ authTest: async () => { const a = answers.shift(); if (a) throw a; } }, pino({ level: 'silent' }));
    expect(watch.result()).toMatchObject({ status: 'pending' });
    watch.accept();
    expect(watch.result()).toEqual({ status: 'ok' });
    answers.push(refusal('account_inactive'));
    await watch.check();
    expect(watch.result()).toEqual({ status: 'failing', reason: expect.stringMatching(/^Slack refused SLACK_BOT_TOKEN \(account_inactive\): .* Until it accepts a token, nothing the bot decides reaches Slack\.$/) });
    answers.push(new Error('connect ECONNREFUSED'));
    await watch.check();
    expect(watch.result()).toMatchObject({ status: 'failing' });
    await watch.check();
    expect(watch.result()).toEqual({ status: 'ok' });
  });

  it('joins a check already under way instead of asking twice', async () => {
    let asked = 0;
    const watch = new TokenWatch({ authTest: async () => void asked++ }, pino({ level: 'silent' }));
    await Promise.all([watch.check(), watch.check()]);
    expect(asked).toBe(1);
  });
});

describe('SocketWatch', () => {
  it('passes only between connected and the next close or state change', () => {
    const client = new EventEmitter();
    const watch = new SocketWatch(client);
    expect(watch.result()).toMatchObject({ status: 'failing', reason: expect.stringContaining('(connecting since ') });
    client.emit('connected');
    expect(watch.result()).toEqual({ status: 'ok' });
    client.emit('close');
    expect(watch.result()).toMatchObject({ status: 'failing', reason: expect.stringMatching(/^Socket Mode is not connected to Slack \(closed since \d{4}-/) });
    client.emit('reconnecting');
    expect(watch.result()).toMatchObject({ reason: expect.stringContaining('(reconnecting since ') });
    client.emit('connected');
    expect(watch.result()).toEqual({ status: 'ok' });
    client.emit('disconnected');
    expect(watch.result()).toMatchObject({ reason: expect.stringContaining('(disconnected since ') });
  });
});
