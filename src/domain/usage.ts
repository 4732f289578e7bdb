/**
 * How each command is written. Error messages quote these so a user who typed
 * something wrong sees the right form next to what went wrong.
 *
 * Written as people read them, `<ic|tech|comms|scribe>` and all: the domain
 * does not know Slack's markup. Slack would read `<a|b>` as a link, so the
 * Slack layer escapes them wherever they are shown (the error replies, help,
 * the header: `escapeStrayMarkup` in src/slack/views/stray-markup.ts).
 */
export const USAGE = {
  declare: '`/incident declare <sev1|sev2|sev3> <title>` (or `/incident declare` alone for a form)',
  role: '`/incident role <ic|tech|comms|scribe> @user`',
  roles: '`/incident roles`',
  severity: '`/incident severity <sev1|sev2|sev3>`',
  status: '`/incident status <investigating|identified|monitoring> [message]`',
  note: '`/incident note <text>`',
  timeline: '`/incident timeline`',
  list: '`/incident list`',
  resolve: '`/incident resolve [summary]`',
  reopen: '`/incident reopen`',
  action: '`/incident action <text> [@owner] [due <YYYY-MM-DD | tomorrow | in 3d | in 2w | next monday>]`',
  actions: '`/incident actions`',
  done: '`/incident done <item number>`',
  drop: '`/incident drop <item number> <reason>`',
  postmortem: '`/incident postmortem`',
  page: '`/incident page [service] [message]`',
  oncall: '`/incident oncall`',
  digest: '`/incident digest [here]`',
  service: '`/incident service <name>`',
  impact: '`/incident impact <started|ended> <14:23 | 2026-09-25 14:23 | 25m ago>`',
  slo: '`/incident slo [service]`',
  stats: '`/incident stats [30d|90d|quarter] [here]`',
  help: '`/incident help`',
} as const;

export type CommandName = keyof typeof USAGE;

/** Commands that only make sense inside an incident's channel. */
export const INCIDENT_CHANNEL_COMMANDS: readonly CommandName[] = [
  'role',
  'roles',
  'severity',
  'status',
  'note',
  'timeline',
  'resolve',
  'reopen',
  'action',
  'done',
  'drop',
  'postmortem',
  'page',
  'service',
  'impact',
];

export const HELP_LINES: readonly string[] = [
  `${USAGE.declare}: declare an incident; SEV1 outage or data loss, SEV2 major degradation, SEV3 minor impact`,
  `${USAGE.role}: assign or hand over a role (aliases: commander, lead, tech-lead, communications)`,
  `${USAGE.roles}: who holds which role`,
  `${USAGE.severity}: raise or lower the severity`,
  `${USAGE.status}: post a status update`,
  `${USAGE.note}: add an entry to the timeline`,
  `${USAGE.timeline}: show the timeline so far`,
  `${USAGE.list}: open incidents`,
  `${USAGE.resolve}: resolve; posts the duration and drafts the blameless postmortem`,
  `${USAGE.reopen}: back to investigating`,
  `${USAGE.action}: track a follow-up (owner defaults to you, due date to 14 days)`,
  `${USAGE.actions}: this incident's follow-ups (anywhere else: your own open ones)`,
  `${USAGE.done}: mark a follow-up done`,
  `${USAGE.drop}: drop a follow-up, saying why`,
  `${USAGE.service}: link the affected service; its SLOs say what the incident costs`,
  `${USAGE.impact}: when users were really hurt (default: from declaration to resolve)`,
  `${USAGE.slo}: each SLO's budget left, burn rate, policy state and the incidents that burned it (in an incident channel: its service's)`,
  `${USAGE.stats}: reliability over the last 30 days (or 90, or the quarter so far) beside the period before: incidents, times to detect, acknowledge and resolve, services, budgets, repeats, follow-ups (\`here\` posts it to this channel)`,
  `${USAGE.page}: page PagerDuty now (the default service, or a named one)`,
  `${USAGE.oncall}: who PagerDuty has on call now`,
  `${USAGE.digest}: the overdue follow-ups digest, to you (or \`here\`, to this channel)`,
  `${USAGE.postmortem}: publish the postmortem draft again, rewritten from what is recorded now`,
  `${USAGE.help}: this help`,
];
