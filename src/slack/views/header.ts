import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;
import { incidentRef, ROLE_TITLES, ROLES, type Incident, type RoleHolder } from '../../domain/model.js';
import { BUTTON_IDS } from '../ids.js';
import { safe, safePlain, slackDate } from '../text.js';
import { severityLabel, severityLong, STATUS_EMOJI, statusLabel, utcStamp } from './labels.js';

function holderOf(holders: readonly RoleHolder[], role: RoleHolder['role']): string {
  const holder = holders.find((h) => h.role === role);
  return holder ? `<@${holder.userId}>` : '_unassigned_';
}

/** The message pinned in an incident channel; edited in place as the incident changes. */
export function incidentHeaderBlocks(
  incident: Incident,
  holders: readonly RoleHolder[],
  timelineEmoji: string,
): KnownBlock[] {
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: safePlain(`${incidentRef(incident.id)}: ${incident.title}`).slice(0, 150) },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Severity*\n${severityLong(incident.severity)}` },
        { type: 'mrkdwn', text: `*Status*\n${STATUS_EMOJI[incident.status]} ${statusLabel(incident.status)}` },
        { type: 'mrkdwn', text: `*Started*\n${slackDate(incident.declaredAt, utcStamp(incident.declaredAt))}` },
        { type: 'mrkdwn', text: `*Declared by*\n<@${incident.declaredBy}>` },
      ],
    },
    {
      type: 'section',
      fields: ROLES.map((role) => ({ type: 'mrkdwn' as const, text: `*${ROLE_TITLES[role]}*\n${holderOf(holders, role)}` })),
    },
  ];
  if (incident.oncallUserId) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*On call (PagerDuty)*\n<@${incident.oncallUserId}>` } });
  }
  if (incident.description) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Impact*\n${safe(incident.description)}` } });
  }
  if (incident.status !== 'resolved') {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: BUTTON_IDS.resolve,
          text: { type: 'plain_text', text: 'Resolve' },
          style: 'primary',
          value: JSON.stringify({ incidentId: incident.id }),
          confirm: {
            title: { type: 'plain_text', text: `Resolve ${incidentRef(incident.id)}?` },
            text: { type: 'plain_text', text: 'The incident is closed, the duration announced and the postmortem drafted.' },
            confirm: { type: 'plain_text', text: 'Resolve' },
            deny: { type: 'plain_text', text: 'Not yet' },
          },
        },
      ],
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text:
          'Next: `/incident status <investigating|identified|monitoring> [message]` · `/incident role <ic|tech|comms|scribe> @user` · ' +
          `\`/incident severity <sev1|sev2|sev3>\` · \`/incident note <text>\` · react with :${timelineEmoji}: to put a message on the timeline`,
      },
    ],
  });
  return blocks;
}

/** Plain-text summary of the header, for notifications and clients without blocks. */
export function incidentHeaderText(incident: Incident): string {
  return `${incidentRef(incident.id)} ${severityLabel(incident.severity)} ${statusLabel(incident.status)}: ${safe(incident.title)}`;
}

/** Channel topic: severity, status and IC at a glance (Slack allows 250 characters). */
export function incidentTopic(incident: Incident, holders: readonly RoleHolder[]): string {
  const ic = holders.find((h) => h.role === 'ic');
  return `${severityLabel(incident.severity)} | ${statusLabel(incident.status)} | IC: ${ic ? `<@${ic.userId}>` : 'unassigned'}`.slice(0, 250);
}

export function incidentPurpose(incident: Incident): string {
  return safePlain(`${incidentRef(incident.id)}: ${incident.title}`).slice(0, 250);
}
