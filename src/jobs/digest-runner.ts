import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Store } from '../db/store.js';
import { chunkDigest, digestReliability, RELIABILITY_DAYS, UPCOMING_DAYS, type DigestItem, type DigestPlan, type DigestReliability } from '../domain/digest.js';
import { addCalendarDays, todayIn } from '../domain/due-date.js';
import { maySeeItem, type Audience } from '../domain/access.js';
import { retryAfterMs } from '../effects/failures.js';
import { calendarDaysBefore } from '../domain/stats-period.js';
import type { Clock } from '../domain/ports.js';
import type { StatsRepo } from '../domain/stats.js';
import type { SlackGateway } from '../slack/gateway.js';
import { METADATA_TYPES } from '../slack/ids.js';
import { digestChunkBlocks, digestHeaderBlocks, digestTitle } from '../slack/views/digest.js';

export interface DigestSettings {
  readonly channel: string | undefined;
  readonly dmOwners: boolean;
  readonly timeZone: string;
  /** How long a claim holds before another process may take the period over. */
  readonly leaseMs?: number;
}

export type DigestOutcome = 'posted' | 'nothing-overdue' | 'already-done' | 'busy' | 'no-channel';

/** One owner's share of a plan: the ids of their items, in plan order, and how many of them are overdue. */
interface OwnerList {
  readonly ids: readonly number[];
  readonly overdue: number;
}

export interface Part {
  readonly key: string;
  readonly channel: string;
  readonly text: string;
  readonly blocks: unknown[];
  readonly thread: 'root' | 'reply';
}

/**
 * Posts the scheduled digest of one period exactly once. The period is
 * claimed in the database (a lease lets a successor take over a crashed
 * poster); what it lists is fixed at the first computation; every message is
 * recorded as Slack accepts it, and a successor first looks in Slack (message
 * metadata) for the message it is about to post. Across restarts, two
 * instances on one database and repeated ticks, each message goes out once.
 */
export class DigestRunner {
  /** Who holds a claim: one per process. */
  readonly owner = randomUUID();

  constructor(
    private readonly repo: Store['digest'],
    private readonly slack: SlackGateway,
    private readonly settings: DigestSettings,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Where the reliability section's records come from; without it, the digest has no such section. */
    private readonly stats?: StatsRepo,
  ) {}

  private get leaseMs(): number {
    return this.settings.leaseMs ?? 120_000;
  }

  /** The day a period is about: its tick, on the team calendar. */
  dayOf(tick: Date): string {
    return todayIn(tick, this.settings.timeZone);
  }

  /** Computes the plan: read from the database, only ids and totals kept. */
  plan(day: string): Promise<DigestPlan> {
    return this.repo.plan(day, addCalendarDays(day, UPCOMING_DAYS));
  }

  /** The reliability section for the week up to `to`, beside the week before, as `audience` may read it. */
  async reliability(to: Date, audience: Audience): Promise<DigestReliability | undefined> {
    if (!this.stats) return undefined;
    const zone = this.settings.timeZone;
    const current = { from: calendarDaysBefore(to, RELIABILITY_DAYS, zone), to };
    const previous = { from: calendarDaysBefore(to, 2 * RELIABILITY_DAYS, zone), to: current.from };
    const records = { current: await this.stats.records(current), previous: await this.stats.records(previous) };
    return digestReliability(records, { current, previous }, audience, this.settings.timeZone);
  }

  async runPeriod(period: string, tick: Date): Promise<DigestOutcome> {
    const channel = this.settings.channel;
    if (!channel) return 'no-channel';
    const day = this.dayOf(tick);
    const claim = await this.repo.claim(period, this.owner, day, this.clock.now(), this.leaseMs);
    if (claim === 'done') return 'already-done';
    if (claim === 'busy') return 'busy';
    const log = this.logger.child({ period, claim });
    try {
      let plan = (await this.repo.run(period))?.plan ?? null;
      if (!plan) {
        // Fixed with the items: a resumed run posts the week as it was first computed, up to the tick.
        plan = { ...(await this.plan(day)), reliability: await this.reliability(tick, { type: 'channel', channelId: channel }) };
        await this.repo.setPlan(period, plan);
      }
      // A member can read the channel back, which a resumed run needs.
      await this.slack.join(channel);
      if (plan.totals.overdue === 0) {
        await this.repo.finish(period, this.owner, this.clock.now());
        log.info('digest: nothing overdue, nothing posted');
        return 'nothing-overdue';
      }
      const resume = { unsure: claim === 'taken-over' };
      await this.postParts(period, this.channelParts(channel, plan, day), resume);
      if (this.settings.dmOwners) {
        for (const [owner, list] of await this.ownerLists(plan, day)) await this.postParts(period, this.dmParts(owner, list, plan, day), resume);
      }
      await this.repo.finish(period, this.owner, this.clock.now());
      log.info({ overdue: plan.totals.overdue }, 'digest posted');
      return 'posted';
    } catch (error) {
      // Give the period back at once: the next tick (here or in another instance) resumes it. Rate-limited,
      // held until Slack's Retry-After: the limit is the app's, and a call before then is refused again.
      await this.repo.renew(period, this.owner, this.clock.now(), retryAfterMs(error) ?? -1);
      throw error;
    }
  }

  /**
   * The digest as of now, for `/incident digest`: the same messages as the
   * scheduled one, without a claim (asking is not the weekly post).
   */
  async preview(channel: string, audience: Audience): Promise<{ plan: DigestPlan; parts: AsyncGenerator<Part> }> {
    const now = this.clock.now();
    const day = this.dayOf(now);
    const plan = { ...(await this.plan(day)), reliability: await this.reliability(now, audience) };
    return { plan, parts: this.channelParts(channel, plan, day, audience) };
  }

  /**
   * The digest for one audience. Items of private incidents are named only
   * to whom they belong (their owner, their own channel); for everyone else
   * they are counted in the totals and said to be left out.
   */
  private async *channelParts(channel: string, plan: DigestPlan, day: string, audience: Audience = { type: 'channel', channelId: channel }): AsyncGenerator<Part> {
    const visible = (async function* (items: AsyncIterable<DigestItem>) {
      for await (const item of items) if (maySeeItem(item, audience)) yield item;
    })(this.repo.streamIds(plan.itemIds));
    const hidden = await this.repo.privateCount(plan.itemIds, channel, audience.type === 'person' ? audience.userId : null);
    let any = false;
    for await (const chunk of chunkDigest(visible, day)) {
      any = true;
      const head = chunk.index === 0 ? digestHeaderBlocks(plan.totals, undefined, hidden, plan.reliability) : [];
      yield {
        key: `channel-${chunk.index}`,
        channel,
        text: chunk.index === 0 ? digestTitle(plan.totals) : `Action items digest ${plan.totals.day}, part ${chunk.index + 1}`,
        blocks: [...head, ...digestChunkBlocks(chunk, day, { showOwners: true })],
        thread: chunk.index === 0 ? 'root' : 'reply',
      };
    }
    // Everything listed is private: the totals and the word that items were left out still go out.
    if (!any && plan.itemIds.length > 0) {
      yield { key: 'channel-0', channel, text: digestTitle(plan.totals), blocks: digestHeaderBlocks(plan.totals, undefined, hidden, plan.reliability), thread: 'root' };
    }
  }

  /**
   * Each owner's planned items, in plan order, and how many are overdue: one
   * pass over the plan. A DM lists what the channel digest lists (a resumed run
   * cuts the same messages, whatever was done or added since), and its heading
   * counts the owner's whole list before the first message is cut from it.
   */
  private async ownerLists(plan: DigestPlan, day: string): Promise<Map<string, OwnerList>> {
    const lists = new Map(plan.owners.map((owner) => [owner, { ids: [] as number[], overdue: 0 }]));
    for await (const item of this.repo.streamIds(plan.itemIds)) {
      const list = lists.get(item.ownerId);
      if (!list) continue;
      list.ids.push(item.id);
      if (item.dueDate < day) list.overdue += 1;
    }
    return lists;
  }

  private async *dmParts(owner: string, list: OwnerList, plan: DigestPlan, day: string): AsyncGenerator<Part> {
    const totals = { ...plan.totals, overdue: list.overdue, owners: 1, upcoming: list.ids.length - list.overdue };
    for await (const chunk of chunkDigest(this.repo.streamIds(list.ids), day)) {
      const head = chunk.index === 0 ? digestHeaderBlocks(totals, owner) : [];
      yield {
        key: `dm-${owner}-${chunk.index}`,
        channel: owner,
        text: chunk.index === 0 ? 'Your overdue action items' : `Your action items, part ${chunk.index + 1}`,
        blocks: [...head, ...digestChunkBlocks(chunk, day, { showOwners: false })],
        thread: chunk.index === 0 ? 'root' : 'reply',
      };
    }
  }

  /**
   * Posts the parts not yet recorded. Parts go out one at a time, each recorded
   * before the next is posted, so of a run taken over only the first part not
   * recorded may have reached Slack unrecorded: that one is looked for in Slack
   * (`resume.unsure`), and the rest are posted without reading each DM back,
   * two calls each that hundreds of owners turned into a rate limit of their own.
   */
  private async postParts(period: string, parts: AsyncIterable<Part>, resume: { unsure: boolean }): Promise<void> {
    const posted = await this.repo.postedParts(period);
    let root: { channel: string; ts: string } | undefined;
    for await (const part of parts) {
      const done = posted.get(part.key);
      if (done) {
        if (part.thread === 'root') root = { channel: part.channel, ts: done };
        continue;
      }
      const metadata = { event_type: METADATA_TYPES.digest, event_payload: { period, part: part.key } };
      // A successor cannot know whether its predecessor's last post went out: Slack knows.
      let ts = resume.unsure ? await this.slack.findDigestPart(part.channel, part.thread === 'reply' ? root?.ts : undefined, period, part.key) : undefined;
      resume.unsure = false;
      if (!ts) {
        const sent = await this.slack.postIn(part.channel, part.text, { blocks: part.blocks, metadata, threadTs: part.thread === 'reply' ? root?.ts : undefined });
        ts = sent.ts;
        root = part.thread === 'root' ? { channel: sent.channel, ts } : root;
      } else if (part.thread === 'root') {
        root = { channel: part.channel, ts };
      }
      await this.repo.recordPart(period, part.key, ts);
      if (!(await this.repo.renew(period, this.owner, this.clock.now(), this.leaseMs))) {
        throw new Error(`digest ${period} was taken over by another instance`);
      }
    }
  }
}
