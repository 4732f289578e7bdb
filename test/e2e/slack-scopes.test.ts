import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { MANIFEST_BOT_SCOPES } from '../../src/http/readiness-scopes.js';
import { Harness } from '../support/harness.js';
import { SlackStandIn } from '../support/slack-stand-in.js';

type Log = { level: number; msg: string; missingScopes?: string[] };

async function readyz(url: string): Promise<{ status: number; body: { status: string; reasons?: string[]; checks: Record<string, string> } }> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as never };
}

/** The bot with its token checked every 50 ms, its log lines kept. */
async function startWatched(logs: Log[]): Promise<Harness> {
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  return Harness.start({ bot: { logger, tokenCheckEveryMs: 50 } });
}

const without = (...scopes: string[]) => MANIFEST_BOT_SCOPES.filter((s) => !scopes.includes(s));
const scopeWarnings = (logs: Log[]) => logs.filter((l) => l.level === 40 && l.missingScopes);

describe('an install made from an older manifest, lacking scopes manifest.yml asks for', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('warns at start, from the start’s own auth.test, before any periodic check', async () => {
    const logs: Log[] = [];
    const slack = new SlackStandIn();
    await slack.start();
    slack.grantedScopes = without('im:history');
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    const started = await Harness.start({ slack, bot: { logger, tokenCheckEveryMs: 3_600_000 } });
    try {
      expect(slack.callsTo('auth.test')).toHaveLength(1);
      expect(scopeWarnings(logs).map((w) => w.missingScopes)).toEqual([['im:history']]);
    } finally {
      await started.stop();
      await slack.stop();
    }
  });

  it('says nothing while the token holds every scope', async () => {
    const logs: Log[] = [];
    h = await startWatched(logs);
    const asked = h.slack.callsTo('auth.test').length;
    await expect.poll(() => h.slack.callsTo('auth.test').length, { timeout: 5_000, interval: 20 }).toBeGreaterThan(asked + 2);
    expect(scopeWarnings(logs)).toEqual([]);
    expect((await readyz(h.url)).status).toBe(200);
  });

  it('logs one warning naming what is missing and how to fix it, and stays ready while declarations still work', async () => {
    const logs: Log[] = [];
    h = await startWatched(logs);
    h.slack.grantedScopes = without('im:history');
    await expect.poll(() => scopeWarnings(logs).length, { timeout: 5_000, interval: 20 }).toBe(1);
    const asked = h.slack.callsTo('auth.test').length;
    await expect.poll(() => h.slack.callsTo('auth.test').length, { timeout: 5_000, interval: 20 }).toBeGreaterThan(asked + 2);

    const [warning] = scopeWarnings(logs);
    expect(scopeWarnings(logs)).toHaveLength(1);
    expect(warning!.missingScopes).toEqual(['im:history']);
    expect(warning!.msg).toContain('(im:history)');
    expect(warning!.msg).toContain('Update the app from manifest.yml');
    expect(warning!.msg).toContain('reinstall it');
    expect(await readyz(h.url)).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('is unready while a scope every declaration needs is missing, and ready once the app is reinstalled', async () => {
    const logs: Log[] = [];
    h = await startWatched(logs);
    h.slack.grantedScopes = without('pins:write', 'im:history');
    await expect.poll(async () => (await readyz(h.url)).status, { timeout: 5_000, interval: 20 }).toBe(503);
    expect((await readyz(h.url)).body).toEqual({
      status: 'unready',
      reasons: ['The bot token lacks pins:write, which every declaration needs: update the app from manifest.yml and reinstall it to the workspace.'],
      checks: { database: 'ok', slackToken: 'failing', socketMode: 'off', outbox: 'ok' },
    });
    expect(scopeWarnings(logs).map((l) => l.missingScopes)).toEqual([['im:history', 'pins:write']]);

    h.slack.grantedScopes = MANIFEST_BOT_SCOPES;
    await expect.poll(async () => (await readyz(h.url)).status, { timeout: 5_000, interval: 20 }).toBe(200);
    expect(logs.some((l) => l.msg === 'the bot token now holds every scope manifest.yml asks for')).toBe(true);
  });

  it('says nothing of scopes when Slack leaves the header out', async () => {
    const logs: Log[] = [];
    h = await startWatched(logs);
    h.slack.grantedScopes = undefined;
    const asked = h.slack.callsTo('auth.test').length;
    await expect.poll(() => h.slack.callsTo('auth.test').length, { timeout: 5_000, interval: 20 }).toBeGreaterThan(asked + 2);
    expect(scopeWarnings(logs)).toEqual([]);
    expect((await readyz(h.url)).status).toBe(200);
  });
});
