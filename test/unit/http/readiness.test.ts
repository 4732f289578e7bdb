import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { WebAPIPlatformError } from '@slack/web-api';
import { failing, passing, readinessPhase, readinessReport, type CheckResult } from '../../../src/http/readiness.js';
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
