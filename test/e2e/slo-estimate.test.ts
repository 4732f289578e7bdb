/**
 * SLO figures without Prometheus: every figure is an estimate from the impact
 * window and the severity, and says so wherever it is shown.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS } from '../../src/slack/ids.js';
import { FixedClock } from '../support/fixed-clock.js';
import { Harness } from '../support/harness.js';
import { interactivityBody, viewSubmissionPayload } from '../support/signed-requests.js';
import { messageProblems } from '../support/slack-limits.js';
import { CHECKOUT_AVAILABILITY_SLO_FILE } from '../support/slo-fixtures.js';


describe('SLO figures without Prometheus', () => {
  let h: Harness;
  let dir: string;
  const clock = new FixedClock(new Date('2026-11-30T12:00:00Z'));
  const pinned = async () => {
    const c = await h.incidentChannel(1);
    return c.messages.find((m) => c.pins.has(m.ts))!;
  };
  const thresholdPosts = (channel: string) => h.slack.channels.get(channel)!.messages.filter((m) => m.text.includes('Error budget:'));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'slo-estimate-'));
    writeFileSync(join(dir, 'checkout.yaml'), CHECKOUT_AVAILABILITY_SLO_FILE);
    clock.set('2026-11-30T12:00:00Z');
    h = await Harness.start({ env: { SLO_FILES: join(dir, 'checkout.yaml') }, bot: { clock } });
  });
  afterEach(async () => {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows an estimate in the header, posts the crossed threshold once, and states final figures at resolve', async () => {
    await h.run('declare sev2 Checkout failing', { userId: 'U0ALICE' });
    const channel = (await h.incidentChannel(1)).id;
    await h.run('service checkout-api', { channelId: channel });
    await h.run('impact started 60m ago', { channelId: channel });

    // SEV2 counts as 50 % of requests failing: 60 min × 0.5 = 30 min of a 43.2-minute budget = 69.4 %, 30.6 % left.
    const header = JSON.stringify((await pinned()).blocks);
    expect(header).toContain(':bar_chart: *SLOs of checkout-api*');
    expect(header).toContain(
      '*checkout_availability* (99.9 % / 30d) _estimate_: burned ~30.0 min (69.4 % of budget) in this incident (estimate: SEV2 counted as 50.0 % of requests failing) · ~30.6 % left (estimate from 1 incident) · burn rate not measured',
    );
    const pinnedHeader = await pinned();
    expect(messageProblems({ blocks: pinnedHeader.blocks as never[], text: pinnedHeader.text })).toEqual([]);

    // 30.6 % left is past the 50 % threshold: posted in the incident channel and the announcement channel, once.
    expect(thresholdPosts(channel)).toHaveLength(1);
    expect(thresholdPosts(channel)[0]!.text).toBe(
      ":chart_with_downwards_trend: *Error budget: checkout-api checkout_availability is down to ~30.6 % left* (99.9 % over 30d), past the policy's 50 % threshold. The policy says: notify. Estimated from incidents' impact and severity (99.9 % over 30d), not measured.",
    );
    expect(thresholdPosts('C0ANNOUNCE')).toHaveLength(1);
    expect(thresholdPosts('C0ANNOUNCE')[0]!.text).toMatch(/^\*INC-1\* <#C\w+> :chart_with_downwards_trend: \*Error budget:/);
    expect((await h.bot.store.timeline.list(1)).filter((e) => e.kind === 'slo_threshold').map((e) => e.text)).toEqual([
      'Error budget of checkout-api checkout_availability down to 30.6 % left (estimate), past the 50 % threshold: notify',
    ]);

    // Ten minutes on, the periodic refresh: 70 min × 0.5 = 35 min, 18.98 % left (written 18.9 %, not rounded up to a whole percentage a threshold may sit at): past 25 % now, and 50 % is not posted again.
    clock.advance(10 * 60_000);
    expect(await h.bot.slo.scheduler.tick()).toEqual([1]);
    await h.settle();
    expect(JSON.stringify((await pinned()).blocks)).toContain('burned ~35.0 min (81.0 % of budget)');
    expect(thresholdPosts(channel).map((m) => /past the policy's ([\d.]+ %)/.exec(m.text)?.[1])).toEqual(['50 %', '25 %']);
    expect(thresholdPosts(channel)[1]!.text).toContain('~18.9 % left');
    expect(thresholdPosts(channel)[1]!.text).toContain('The policy says: freeze non-critical deployments.');
    expect(thresholdPosts('C0ANNOUNCE')).toHaveLength(2);

    // A status change refreshes the figures too, and the status update is posted as ever.
    clock.advance(2 * 60_000);
    await h.run('status identified Bad deploy', { channelId: channel });
    expect((await h.incidentChannel(1)).messages.some((m) => m.text.includes('*Identified*: Bad deploy'))).toBe(true);
    expect(JSON.stringify((await pinned()).blocks)).toContain('burned ~36.0 min (83.3 % of budget)');
    expect(thresholdPosts(channel)).toHaveLength(2);

    // At resolve the figures are final and the postmortem draft is written again to state them.
    clock.advance(3 * 60_000);
    await h.run('resolve Rolled back', { channelId: channel });
    const stored = await h.bot.store.sloFigures.forIncident(1);
    expect(stored.map((s) => [s.figures.sloId, s.final])).toEqual([['checkout-api/checkout_availability', true]]);
    expect(stored[0]!.figures.incident).toMatchObject({ kind: 'estimate', impactMs: 75 * 60_000 });
    expect((await h.bot.store.postmortems.get(1))!.version).toBe(2);
    // Resolved: no more periodic refresh of its figures (they are complete).
    expect(await h.bot.slo.scheduler.tick()).toEqual([]);
  });

  it('announces a private incident\'s crossing by service and figures only, and /incident slo names it only to its members', async () => {
    const values = {
      [BLOCK_IDS.title]: { [ACTION_IDS.title]: { type: 'plain_text_input', value: 'Payroll export leaking' } },
      [BLOCK_IDS.severity]: { [ACTION_IDS.severity]: { type: 'static_select', selected_option: { value: 'sev1' } } },
      [BLOCK_IDS.privacy]: { [ACTION_IDS.privacy]: { type: 'checkboxes', selected_options: [{ value: 'private' }] } },
    };
    await h.interact(interactivityBody(viewSubmissionPayload('U0ALICE', CALLBACK_IDS.declareModal, values, '{"originChannelId":"C0GENERAL"}')));
    await h.settle();
    const channel = (await h.incidentChannel(1)).id;
    await h.run('service checkout-api', { channelId: channel, userId: 'U0ALICE' });
    // SEV1 counts as a full outage: 30 min of 43.2 = 69.4 % spent, 30.6 % left.
    await h.run('impact started 30m ago', { channelId: channel, userId: 'U0ALICE' });

    const announced = thresholdPosts('C0ANNOUNCE');
    expect(announced).toHaveLength(1);
    expect(announced[0]!.text).toMatch(/^:lock: Measured during a private incident \(INC-1\): :chart_with_downwards_trend: \*Error budget: checkout-api checkout_availability is down to ~30\.6 % left\*/);
    expect(announced[0]!.text).not.toContain('Payroll');
    expect(announced[0]!.text).not.toContain(channel);
    expect(thresholdPosts(channel)).toHaveLength(1);

    const blocksOf = async (opts: { userId: string; channelId: string }, text = 'slo') => {
      const { responseId } = await h.run(text, opts);
      // Answered after the ack, outside the outbox: wait for it (bounded).
      await expect.poll(() => h.slack.responsesFor(responseId).length, { timeout: 10_000, interval: 20 }).toBeGreaterThan(0);
      return JSON.stringify(h.slack.responsesFor(responseId).map((r) => r.blocks));
    };
    const outsider = await blocksOf({ userId: 'U0BOB', channelId: 'C0GENERAL' });
    expect(outsider).toContain('*Error budgets: every service* (1 SLO)');
    expect(outsider).toContain('*checkout-api checkout_availability* (99.9 % / 30d): budget 43.2 min');
    expect(outsider).toContain('~30.6 % left (estimate from 1 incident) · burn rate not measured _(estimate)_');
    expect(outsider).toContain('*Policy*: at or below 50 %: notify');
    expect(outsider).toContain('• a private incident: ~30.0 min (69.4 % of budget) _(estimate)_');
    expect(outsider).not.toContain('Payroll');
    // In its channel, a member sees which incident it was.
    const member = await blocksOf({ userId: 'U0ALICE', channelId: channel });
    expect(member).toContain('*Error budgets: checkout-api* (1 SLO)');
    expect(member).toContain('• INC-1 Payroll export leaking _(open)_: ~30.0 min (69.4 % of budget) _(estimate)_');
  });

  it('answers /incident slo for an unknown service with the known ones, and a stray word with its usage', async () => {
    const unknown = await h.run('slo billing', { userId: 'U0BOB' });
    expect(unknown.replies.join('\n')).toContain('"billing" is not a service with SLOs. Known services: `checkout-api`');
    const extra = await h.run('slo checkout-api now', { userId: 'U0BOB' });
    expect(extra.replies.join('\n')).toContain('Give one service name, or none for every SLO.');
    expect(extra.replies.join('\n')).toContain('/incident slo [service]');
  });

  it('shows nothing of SLOs for an incident linked to no service', async () => {
    await h.run('declare sev1 Unlinked', { userId: 'U0ALICE' });
    expect(JSON.stringify((await pinned()).blocks)).not.toContain('SLOs of');
    expect(await h.bot.slo.scheduler.tick()).toEqual([]);
  });
});
