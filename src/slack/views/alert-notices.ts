import type { types } from '@slack/bolt';
import { incidentRef, type Incident } from '../../domain/model.js';
import type { AlertNotice } from '../../domain/ports.js';
import { BUTTON_IDS } from '../ids.js';
import { safe } from '../text.js';
import { fitText, SLACK_LIMITS } from './limits.js';
import { isWebUrl, slackLink } from './slack-link.js';

type KnownBlock = types.KnownBlock;

/** The alert's links that are web URLs; another value (`!channel`, a bare host) is left out, the notice still says the rest. */
function alertLinks(links: readonly (readonly [url: string | null, label: string])[]): string {
  return links
    .filter((link): link is readonly [string, string] => link[0] !== null && isWebUrl(link[0]))
    .map(([url, label]) => slackLink(url, label))
    .join(' · ');
}

function button(actionId: string, text: string, value: unknown, style?: 'primary' | 'danger'): types.Button {
  return { type: 'button', action_id: actionId, text: { type: 'plain_text', text }, value: JSON.stringify(value), ...(style ? { style } : {}) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What an alert notice says, and its buttons. Alert texts come from Prometheus rules: escaped like anything typed. */
export function alertNoticeMessage(notice: AlertNotice, incident: Incident | undefined): { text: string; blocks: KnownBlock[] } {
  const ref = incident ? incidentRef(incident.id) : '';
  let text: string;
  let actions: types.Button[];
  switch (notice.type) {
    case 'alert_notify': {
      const links = alertLinks([
        [notice.generatorUrl, 'Prometheus'],
        [notice.runbookUrl, 'Runbook'],
      ]);
      text =
        `:warning: *Alert ${safe(notice.alertname)}*${notice.service ? ` on \`${safe(notice.service)}\`` : ''}: ${safe(notice.title)}\n` +
        `${plural(notice.firing, 'alert')} firing. No incident was declared${links ? ` · ${links}` : ''}.`;
      actions = [button(BUTTON_IDS.alertDeclare, 'Declare incident', { groupId: notice.groupId }, 'danger')];
      break;
    }
    case 'alert_merge_offer':
      text = `:twisted_rightwards_arrows: Another alert group of *${safe(notice.alertname)}* is firing (${plural(notice.firing, 'alert')}): ${safe(notice.title)}. It looks like the same problem as ${ref}; merge it so its alerts land here, or declare it as an incident of its own if it is another problem. Nothing happens until someone decides.`;
      actions = [
        button(BUTTON_IDS.alertMerge, `Merge into ${ref}`, { groupId: notice.groupId }, 'primary'),
        button(BUTTON_IDS.alertDeclareSeparately, 'Declare separately', { groupId: notice.groupId }),
      ];
      break;
    case 'alert_reopen_offer':
      text = `:repeat: *${safe(notice.alertname)}* is firing again (${plural(notice.firing, 'alert')}) soon after ${ref} was resolved. If it is the same problem, reopen ${ref}.`;
      actions = [button(BUTTON_IDS.alertReopen, `Reopen ${ref}`, { incidentId: incident?.id ?? 0 }, 'danger')];
      break;
    case 'alert_all_resolved':
      text = `:large_green_circle: Every alert of ${ref} has resolved (${plural(notice.resolved, 'alert')}). Resolving stays your decision: resolve when users are no longer hurt.`;
      actions = [button(BUTTON_IDS.resolve, `Resolve ${ref}`, { incidentId: incident?.id ?? 0 }, 'primary')];
      break;
  }
  const body = fitText(text, SLACK_LIMITS.sectionText, '…');
  // Beside blocks, `text` is the notification and the fallback: Slack's 4,000, not a lone message's 40,000.
  return { text: fitText(text, SLACK_LIMITS.fallbackText, '…'), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: body } }, { type: 'actions', elements: actions }] };
}
