import type { SlashCommand } from '@slack/bolt';
import { incidentRef, type Actor } from '../../domain/model.js';
import { pageOnDemand } from '../../domain/paging.js';
import type { SlackServices } from '../services.js';
import { safe } from '../text.js';
import type { Reply } from './reply.js';

/** `/incident page` queues a page, committed before the ack; the channel hears how it went. */
export async function decidePage(services: SlackServices, actor: Actor, command: SlashCommand, words: readonly string[]): Promise<Reply> {
  const { incident, service } = await pageOnDemand(services.deps, actor, command.channel_id, words);
  return { text: `:pager: Paging PagerDuty (${safe(service)}) for ${incidentRef(incident.id)}.` };
}

/** `/incident oncall` asks PagerDuty now (read-only, after the ack). */
export async function answerOnCall(services: SlackServices): Promise<Reply> {
  const { onCall } = services;
  if (!onCall.configured) return { text: 'On-call lookup is off: set PAGERDUTY_API_TOKEN and PAGERDUTY_ESCALATION_POLICY_ID.' };
  const people = await onCall.now();
  const named = await Promise.all(
    people.map(async (p) => {
      const slackId = p.email ? await services.slack.userIdByEmail(p.email) : undefined;
      return slackId ? `<@${slackId}>` : safe(p.name);
    }),
  );
  // Two PagerDuty accounts of one person (one Slack account) are one person on call.
  const lines = [...new Set(named)].map((who) => `• ${who} (level 1)`);
  return { text: lines.length ? ['*On call now (PagerDuty)*', ...lines].join('\n') : 'PagerDuty has nobody on call at level 1 right now.' };
}
