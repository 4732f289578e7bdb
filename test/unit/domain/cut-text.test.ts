import { describe, expect, it } from 'vitest';
import type { ClaimedJob } from '../../../src/db/outbox.repo.js';
import { alertTitle, type ReceivedAlert } from '../../../src/domain/alerts.js';
import { cutText } from '../../../src/domain/clean-text.js';
import { declareIncident } from '../../../src/domain/declare.js';
import { quoted } from '../../../src/domain/echo.js';
import { incidentRef } from '../../../src/domain/model.js';
import { rememberNames } from '../../../src/domain/people.js';
import type { EffectContext } from '../../../src/effects/context.js';
import { pagerDutyEvent } from '../../../src/effects/pagerduty-event.js';
import { reportFailure } from '../../../src/effects/report-failure.js';
import { fitText } from '../../../src/slack/views/limits.js';
import { memoryDeps } from '../../support/memory-store.js';

/** No lone half of a surrogate pair (String.prototype.isWellFormed, which the project's ES2022 lib does not type). */
const isWellFormed = (text: string) => !/\p{Cs}/u.test(text);
const graphemes = (text: string) => Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);

/**
 * `cut`, without `ellipsis`, is `whole` cut between two characters as a reader sees them:
 * no half of a surrogate pair, no flag cut to one regional indicator, no letter without its accent.
 */
function expectWholeStart(cut: string, whole: string, ellipsis = '…'): void {
  expect(isWellFormed(cut)).toBe(true);
  expect(cut.endsWith(ellipsis)).toBe(true);
  const kept = graphemes(cut.slice(0, cut.length - ellipsis.length));
  expect(kept).toEqual(graphemes(whole).slice(0, kept.length));
}

/** Characters of 2 to 11 UTF-16 units, and one that is one unit followed by a combining mark. */
const AT_THE_CUT = {
  'an emoji (a surrogate pair)': '😀',
  'an emoji with a skin tone': '👍🏽',
  'a ZWJ sequence': '👩‍💻',
  'a flag (two regional indicators)': '🇫🇷',
  'the flag of Scotland (tag characters)': '🏴󠁧󠁢󠁳󠁣󠁴󠁿',
  'a letter and a combining accent': 'e\u0301',
  'a letter and two combining marks': 'a\u0323\u0302',
};

describe('cutting text to a length', () => {
  it.each(Object.entries(AT_THE_CUT))('never splits %s, wherever the cut falls in it', (_name, char) => {
    for (let offset = 0; offset <= char.length; offset++) {
      const text = `${'a'.repeat(20 - offset)}${char}${'z'.repeat(10)}`;
      const cut = cutText(text, 21);
      expect(cut.length).toBeLessThanOrEqual(21);
      expectWholeStart(cut, text);
    }
  });

  it('keeps text that fits, and cuts at the exact limit when it falls between characters', () => {
    expect(cutText('Checkout down 😀', 16)).toBe('Checkout down 😀');
    expect(cutText('abcdef', 4)).toBe('abc…');
    expect(cutText('abcdef', 4, '')).toBe('abcd');
    expect(cutText('abcdef', 1)).toBe('…');
  });

  it('cuts the PagerDuty summary at 1024 between whole characters', async () => {
    const deps = { ...memoryDeps(), paging: { services: ['default'], pageSeverities: ['sev1' as const] } };
    await declareIncident(deps, { type: 'slack', userId: 'U0ALICE', teamId: 'T1' }, { severity: 'sev1', title: 'Checkout down' });
    const incident = (await deps.store.incidents.get(1))!;
    const ctx = { store: deps.store } as unknown as EffectContext;
    const head = `[SEV1] ${incidentRef(1)}: Checkout down (`;
    for (const char of Object.values(AT_THE_CUT)) {
      // The character straddles unit 1023, where the summary is cut to leave room for '…'.
      const message = `${'x'.repeat(1022 - head.length)}${char}${' more words'.repeat(20)}`;
      const job = { id: 1, kind: 'pagerduty.event', incidentId: 1, payload: { action: 'trigger', service: 'default', dedupKey: 'k', message } } as unknown as ClaimedJob & { kind: 'pagerduty.event' };
      const event = await pagerDutyEvent(ctx, incident, job, 'R0DEFAULTKEY0000000000000000000');
      const summary = event.payload!.summary;
      expect(summary.length).toBeLessThanOrEqual(1024);
      expectWholeStart(summary, `${head}${message})`);
    }
  });

  it('cuts an alert title at the title limit between whole characters', () => {
    const alert: ReceivedAlert = {
      status: 'firing',
      labels: {},
      annotations: { summary: `${'Disk full '.repeat(14)}abcdefg🇫🇷🇫🇷 on db-1` },
      startsAt: new Date(0),
      endsAt: null,
      generatorUrl: null,
      fingerprint: 'f1',
    };
    const title = alertTitle(alert, 'DiskFull', null);
    expect(title.length).toBeLessThanOrEqual(150);
    expectWholeStart(title, alert.annotations.summary!);
  });

  it('quotes a long typed word cut between whole characters', () => {
    const word = `${'a'.repeat(39)}👍🏽👍🏽`;
    const shown = quoted(word);
    expectWholeStart(shown.slice(1, -1), word);
  });

  it('remembers a long Slack name cut between whole characters', async () => {
    const remembered: string[] = [];
    const names = { remember: async (_id: string, name: string) => (remembered.push(name), true), namesOf: async () => new Map() };
    const name = `${'Ada Lovelace '.repeat(6)}a🇫🇷🇫🇷`; // the first flag straddles unit 80
    await rememberNames({ repos: { names }, clock: { now: () => new Date(0) } }, [{ userId: 'U1', name }]);
    expect(remembered[0]!.length).toBeLessThanOrEqual(80);
    expectWholeStart(remembered[0]!, name, '');
  });

  it('fits Slack text between whole characters, not only whole surrogate pairs', () => {
    for (const char of Object.values(AT_THE_CUT)) {
      for (let offset = 0; offset <= char.length; offset++) {
        const text = `${'a'.repeat(2990 - offset)}${char}${'z'.repeat(20)}`;
        const fitted = fitText(text, 3000, '…');
        expect(fitted.length).toBeLessThanOrEqual(3000);
        expectWholeStart(fitted, text);
      }
    }
    // A token is still kept whole, and the cut before it is between whole characters.
    const withToken = `${'a'.repeat(2994)}e\u0301<@U0ALICE> and more`;
    expect(fitText(withToken, 3000, '…')).toBe(`${'a'.repeat(2994)}e\u0301…`);
  });

  it("cuts a failure's reason in the announcement channel without splitting an entity or an emoji", async () => {
    const posted: string[] = [];
    const ctx = {
      config: { alertmanager: { rules: { announceChannel: 'C0ANNOUNCE' } } },
      slack: { post: async (_channel: string, text: string) => void posted.push(text) },
    } as unknown as EffectContext;
    const job = { id: 1, kind: 'alert.receive', incidentId: null, payload: { notification: { alerts: [] }, receivedAt: '2026-12-07T10:00:00Z' } } as unknown as ClaimedJob;
    await reportFailure(ctx, job, new Error(`${'x'.repeat(498)}&😀 and the rest`));
    await reportFailure(ctx, job, new Error(`${'x'.repeat(499)}😀 and the rest`));
    for (const text of posted) {
      const reason = /firing\): (.*)\. Nothing was declared/.exec(text)![1]!;
      expect(isWellFormed(reason)).toBe(true);
      expect(reason.length).toBeLessThanOrEqual(500);
      expect(reason).toMatch(/^x+(&amp;)?…$/);
    }
  });
});
