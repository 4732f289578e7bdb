import type { RespondFn, SlashCommand } from '@slack/bolt';
import type { IncidentCommand } from '../../domain/command-parser.js';
import { incidentRef, type Actor } from '../../domain/model.js';
import { pageOnDemand } from '../../domain/paging.js';
import type { SlackServices } from '../services.js';
import { safe } from '../text.js';

type Paging = Extract<IncidentCommand, { kind: 'page' | 'oncall' }>;

/** `/incident page` queues a page (the channel hears how it went); `/incident oncall` asks PagerDuty now. */
export async function handlePaging(services: SlackServices, actor: Actor, command: SlashCommand, respond: RespondFn, parsed: Paging): Promise<void> {
  if (parsed.kind === 'page') {
    const { incident, service } = pageOnDemand(services.deps, actor, command.channel_id, parsed.words);
    await respond({ response_type: 'ephemeral', text: `:pager: Paging PagerDuty (${safe(service)}) for ${incidentRef(incident.id)}.` });
    return;
  }
  const { onCall } = services;
  if (!onCall.configured) {
    await respond({ response_type: 'ephemeral', text: 'On-call lookup is off: set PAGERDUTY_API_TOKEN and PAGERDUTY_ESCALATION_POLICY_ID.' });
    return;
  }
  const people = await onCall.now();
  const lines = await Promise.all(
    people.map(async (p) => {
      const slackId = p.email ? await services.slack.userIdByEmail(p.email) : undefined;
      return `• ${slackId ? `<@${slackId}>` : safe(p.name)} (level 1)`;
    }),
  );
  await respond({ response_type: 'ephemeral', text: lines.length ? ['*On call now (PagerDuty)*', ...lines].join('\n') : 'PagerDuty has nobody on call at level 1 right now.' });
}
