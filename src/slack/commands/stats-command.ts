import type { RespondFn, SlashCommand } from '@slack/bolt';
import type { Audience } from '../../domain/access.js';
import { statsPeriods, type StatsSpan } from '../../domain/stats-period.js';
import { statsReport } from '../../domain/stats-report.js';
import { personAudience } from '../audience.js';
import type { SlackServices } from '../services.js';
import { statsBlocks } from '../views/stats.js';

/**
 * `/incident stats [30d|90d|quarter] [here]`: the reliability figures of the
 * period beside the period before, to whoever asked, or with `here` to the
 * channel. Private incidents are counted for everyone and named only where
 * everyone reading is a member: to a person Slack says is in their channel,
 * or posted in their own channel.
 */
export async function handleStats(services: SlackServices, command: SlashCommand, respond: RespondFn, span: StatsSpan, here: boolean): Promise<void> {
  const { deps } = services;
  const periods = statsPeriods(span, deps.clock.now(), deps.timeZone);
  const records = { current: await deps.repos.stats.records(periods.current), previous: await deps.repos.stats.records(periods.previous) };
  const audience: Audience = here
    ? { type: 'channel', channelId: command.channel_id }
    : await personAudience(services.slack, services.logger, command.user_id, command.channel_id, [...records.current.incidents, ...records.previous.incidents]);
  const { text, blocks } = statsBlocks(statsReport(periods, records, audience, deps.timeZone), deps.timeZone);
  await respond({ response_type: here ? 'in_channel' : 'ephemeral', text, blocks: blocks as never });
}
