/**
 * `/incident stats` through the running bot: incidents declared by slash
 * command, by the form and by an Alertmanager alert over two periods of a
 * simulated clock, resolved,
 * with budgets estimated from checkout-api's SLO, and the figures read back
 * as signed slash commands. A private incident is counted for someone outside
 * its channel and named to its member; `here` posts to the channel.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS } from '../../src/slack/ids.js';
import { FixedClock } from '../support/fixed-clock.js';
import { Harness } from '../support/harness.js';
import { interactivityBody, viewSubmissionPayload } from '../support/signed-requests.js';
import { messageProblems } from '../support/slack-limits.js';
import { CHECKOUT_AVAILABILITY_SLO_FILE } from '../support/slo-fixtures.js';

const SECRET = 'Payroll export leaking';
const TOKEN = 'am-token-1234567890';
/** What Alertmanager 0.25 posts for a critical checkout-api alert (a SEV2 by the default rules), its start moved into the period. */
const FIRING = JSON.parse(readFileSync('test/fixtures/alertmanager/firing.json', 'utf8').replace('2026-12-03T14:54:45.572Z', '2026-11-15T08:00:00.000Z')) as unknown;

describe('/incident stats', () => {
  let h: Harness;
  let dir: string;
  const clock = new FixedClock(new Date('2026-10-05T10:00:00Z'));

  /** What the bot answered a command through its response_url: the text and blocks, and how it was sent. */
  async function stats(text: string, userId: string, channelId = 'C0GENERAL') {
    const { responseId } = await h.run(text, { userId, channelId });
    const answers = h.slack.responsesFor(responseId);
    expect(answers).toHaveLength(1);
    const answer = answers[0]!;
    expect(messageProblems({ text: String(answer.text), blocks: answer.blocks as never[] })).toEqual([]);
    return { type: answer.response_type, all: JSON.stringify(answer.blocks) };
  }

  async function resolveAfter(id: number, minutes: number): Promise<void> {
    clock.advance(minutes * 60_000);
    await h.run('resolve', { channelId: (await h.incidentChannel(id)).id, userId: 'U0ALICE' });
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stats-'));
    writeFileSync(join(dir, 'checkout.yaml'), CHECKOUT_AVAILABILITY_SLO_FILE);
    h = await Harness.start({ env: { SLO_FILES: join(dir, 'checkout.yaml'), DIGEST_TIMEZONE: 'UTC', ALERTMANAGER_WEBHOOK_TOKEN: TOKEN }, bot: { clock } });

    // The 30 days before: INC-1, SEV2 on checkout-api for 65 minutes.
    await h.run('declare sev2 Checkout slow', { userId: 'U0ALICE' });
    await h.run('service checkout-api', { channelId: (await h.incidentChannel(1)).id, userId: 'U0ALICE' });
    await resolveAfter(1, 65);

    // The last 30 days: INC-2, SEV1 on checkout-api for 42 minutes, with a follow-up left overdue.
    clock.set('2026-11-02T09:00:00Z');
    await h.run('declare sev1 Checkout errors', { userId: 'U0ALICE' });
    await h.run('service checkout-api', { channelId: (await h.incidentChannel(2)).id, userId: 'U0ALICE' });
    await h.run('action Add a retry budget <@U0BOB> due 2026-11-10', { channelId: (await h.incidentChannel(2)).id, userId: 'U0ALICE' });
    await resolveAfter(2, 42);

    // INC-3, private, from the form, SEV3 on checkout-api for 30 minutes: Alice is in its channel, Bob is not.
    clock.set('2026-11-10T14:00:00Z');
    const values = {
      [BLOCK_IDS.title]: { [ACTION_IDS.title]: { type: 'plain_text_input', value: SECRET } },
      [BLOCK_IDS.severity]: { [ACTION_IDS.severity]: { type: 'static_select', selected_option: { value: 'sev3' } } },
      [BLOCK_IDS.service]: { [ACTION_IDS.service]: { type: 'static_select', selected_option: { value: 'checkout-api' } } },
      [BLOCK_IDS.privacy]: { [ACTION_IDS.privacy]: { type: 'checkboxes', selected_options: [{ value: 'private' }] } },
    };
    const res = await h.interact(interactivityBody(viewSubmissionPayload('U0ALICE', CALLBACK_IDS.declareModal, values, '{"originChannelId":"C0GENERAL"}')));
    expect(res.status).toBe(200);
    await h.settle();
    await resolveAfter(3, 30);

    // INC-4, from Alertmanager: users hurt from 08:00, the alert received at 08:06, resolved at 08:30.
    clock.set('2026-11-15T08:06:00Z');
    const webhook = await fetch(`${h.url}/alertmanager/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(FIRING) });
    expect(webhook.status).toBe(200);
    await h.settle();
    await resolveAfter(4, 24);

    clock.set('2026-11-21T12:00:00Z');
  });
  beforeEach(() => clock.set('2026-11-21T12:00:00Z'));
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers only the asker, with every figure beside the 30 days before, the private incident counted and not named', async () => {
    const { type, all } = await stats('stats', 'U0BOB');
    expect(type).toBe('ephemeral');
    expect(all).toContain('*Reliability, the last 30 days*, beside the 30 days before');
    expect(all).toContain('*Incidents*: 3 (was 1, +200 %)');
    expect(all).toContain('By severity: SEV1 1 (was 0) · SEV2 1 (was 1, 0 %) · SEV3 1 (was 0)');
    // Recorded at declaration: INC-2 by the slash command, INC-3 by the form, INC-4 by the alert (INC-1 by the command before).
    expect(all).toContain('By source: slash command 1 (was 1, 0 %) · form 1 (was 0) · alert 1 (was 0)');
    // Only INC-4 was alerted: 08:00 → 08:06 = 6 minutes; the others have no detection to measure.
    expect(all).toContain('median 6 min (was unknown) · p90 6 min (was unknown) — _measured: 1 of 3; 2 unknown (no alert, or no impact start recorded)_');
    // Nobody was paged: no acknowledgement recorded, counted and not guessed.
    expect(all).toContain('no figure in either period — _acknowledged: 0 of 3; 3 unknown (no acknowledgement recorded)_');
    // Resolve times 42, 30 (INC-3) and 30 (INC-4, from its impact start): median rank 2 → 30, p90 rank 3 → 42, mean 102 / 3 = 34;
    // before, 65 alone: (30 − 65) / 65 = −54 %, (42 − 65) / 65 = −35 %, (34 − 65) / 65 = −48 %.
    expect(all).toContain('median 30 min (was 65 min, −54 %) · p90 42 min (was 65 min, −35 %) · MTTR (mean) 34 min (was 65 min, −48 %) — _resolved: 3 of 3_');
    // 42 + 30 + 30 = 102 against 65: +57 %.
    expect(all).toContain('Impact minutes: 102 (was 65, +57 %) over 3 incidents');
    // INC-3 and INC-4 repeat INC-2 on checkout-api: both counted; INC-3 is private, so only INC-4 is named.
    expect(all).toContain('Repeat incidents (a service or alert name seen earlier in the period): 2 (was 0)');
    expect(all).toContain('• INC-4 checkout-api checkout_availability is burning its error budget too fast (page): service checkout-api again, after INC-2');
    expect(all).toContain('• 1 more repeat involving a private incident, not named here');
    expect(all).toContain('• checkout-api: 2 (was 1, +100 %)');
    // Estimates: INC-2 SEV1 as 100 % failing, 42 / 43.2 min = 97.2 %; INC-4 SEV2 as 50 % for 30 min, 15 / 43.2 = 34.7 %: 131.9 %.
    // Before, INC-1 SEV2 for 65 min: 32.5 / 43.2 = 75.2 %. (1.3194 − 0.7523) / 0.7523 = +75 %.
    expect(all).toContain('• checkout-api checkout_availability: 131.9 % (was 75.2 %, +75 %) of its budget, over 2 incidents _(partly estimated)_');
    expect(all).toContain('1 private incident of this period is counted above, not shown by service, budget or repeat');
    expect(all).toContain('*Follow-ups*: opened 1 (was 0) · done 0 (was 0)');
    expect(all).toContain('Overdue at the end of the period: 1 (was 0)');
    expect(all).not.toContain(SECRET);
  });

  it('names the private incident to a member of its channel, and counts its budget', async () => {
    const { all } = await stats('stats 30d', 'U0ALICE');
    expect(all).toContain(`• INC-3 ${SECRET}: service checkout-api again, after INC-2`);
    expect(all).toContain('• checkout-api: 3 (was 1, +200 %)');
    // 131.9 % + 3 / 43.2 (SEV3 as 10 % failing for 30 min) = 138.9 %; (1.3889 − 0.7523) / 0.7523 = +85 %.
    expect(all).toContain('• checkout-api checkout_availability: 138.9 % (was 75.2 %, +85 %) of its budget, over 3 incidents');
    expect(all).not.toContain('private incident of this period');
  });

  it('posts to the channel with `here`, naming only what everyone in it may read', async () => {
    const { type, all } = await stats('stats here', 'U0ALICE');
    expect(type).toBe('in_channel');
    expect(all).toContain('*Incidents*: 3 (was 1, +200 %)');
    expect(all).not.toContain(SECRET);
    expect(all).toContain('1 more repeat involving a private incident, not named here');

    // Posted in the private incident's own channel, its members are the readers.
    const inside = await stats('stats here', 'U0ALICE', (await h.incidentChannel(3)).id);
    expect(inside.all).toContain(`INC-3 ${SECRET}`);
  });

  it('covers the quarter so far beside the same stretch of the quarter before', async () => {
    // 1 October – 21 November against 1 July – 21 August: INC-1 (5 October) is in this quarter now.
    const { all } = await stats('stats quarter', 'U0BOB');
    expect(all).toContain('*Reliability, 2026 Q4 so far*, beside the same 52 days of 2026 Q3');
    expect(all).toContain('*Incidents*: 4 (was 0)');
  });

  it('heads the weekly digest with the week\'s reliability, the private incident counted and not shown by service', async () => {
    // Monday 16 November, 09:00: the week from 9 November holds INC-3 (private) and INC-4; the week before, INC-2 (2 November, 09:00).
    clock.set('2026-11-16T09:00:30Z');
    expect(await h.bot.digest.scheduler.check()).toBe('posted');
    const digest = h.slack.channels.get('C0ANNOUNCE')!.messages.filter((m) => m.metadata?.event_type === 'incident_digest');
    expect(digest).toHaveLength(1);
    expect(messageProblems({ text: digest[0]!.text, blocks: digest[0]!.blocks as never[] })).toEqual([]);
    const blocks = digest[0]!.blocks as { type: string; text?: { text: string } }[];
    // Above the follow-ups: right under the heading.
    const section = blocks[1]!.text!.text;
    // MTTR 30 and 30 → 30, against INC-2's 42: (30 − 42) / 42 = −29 %.
    expect(section).toContain('*Reliability, the last 7 days*: incidents 2 (was 1, +100 %) · MTTR 30 min (was 42 min, −29 %) over 2 resolved incidents');
    expect(section).toContain('_1 of these is a private incident: counted, not shown by service._');
    // INC-4 alone: 34.7 %, against INC-2's 97.2 %: (0.3472 − 0.9722) / 0.9722 = −64 %.
    expect(section).toContain('Budget burned: checkout-api checkout_availability 34.7 % (was 97.2 %, −64 %) _(partly estimated)_');
    expect(JSON.stringify(blocks.slice(2))).toContain('Add a retry budget');
    expect(JSON.stringify(digest)).not.toContain(SECRET);
  });

  it('says what it takes when the period is not one it knows', async () => {
    const { replies } = await h.run('stats 7d', { userId: 'U0BOB' });
    expect(replies.join('\n')).toContain('is not a period: use 30d, 90d or quarter');
  });
});
