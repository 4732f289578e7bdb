import { cleanLine, cleanText } from './clean-text.js';
import { quoted } from './echo.js';
import { DomainError } from './errors.js';
import {
  ACTIVE_STATUSES,
  type ActiveStatus,
  type Role,
  type Severity,
} from './model.js';
import { STATS_SPANS, type StatsSpan } from './stats-period.js';
import { USAGE } from './usage.js';

/** What a user asked for with `/incident ...`, once the words are understood. */
export type IncidentCommand =
  | { readonly kind: 'declare-form' }
  | { readonly kind: 'declare'; readonly severity: Severity; readonly title: string }
  | { readonly kind: 'role'; readonly role: Role; readonly userId: string }
  | { readonly kind: 'roles' }
  | { readonly kind: 'severity'; readonly severity: Severity }
  | { readonly kind: 'status'; readonly status: ActiveStatus; readonly message: string }
  | { readonly kind: 'note'; readonly text: string }
  | { readonly kind: 'timeline' }
  | { readonly kind: 'list' }
  | { readonly kind: 'resolve'; readonly summary: string }
  | { readonly kind: 'reopen' }
  | { readonly kind: 'action'; readonly raw: string }
  | { readonly kind: 'actions' }
  | { readonly kind: 'done'; readonly number: string | undefined }
  | { readonly kind: 'drop'; readonly number: string | undefined; readonly reason: string }
  | { readonly kind: 'postmortem' }
  | { readonly kind: 'page'; readonly words: readonly string[] }
  | { readonly kind: 'oncall' }
  | { readonly kind: 'digest'; readonly here: boolean }
  | { readonly kind: 'service'; readonly name: string }
  | { readonly kind: 'impact'; readonly edge: 'started' | 'ended'; readonly when: string }
  /** The SLOs' budgets: of one service, of the incident channel's service, or of every service. */
  | { readonly kind: 'slo'; readonly service: string | undefined }
  /** Reliability figures over a period beside the period before; `here`: posted to the channel. */
  | { readonly kind: 'stats'; readonly span: StatsSpan; readonly here: boolean }
  | { readonly kind: 'help' };

export const MAX_TITLE_LENGTH = 150;
export const MAX_TEXT_LENGTH = 2500;

// A Map, not an object: `role constructor @bob` found Object's constructor on a plain object's prototype.
const ROLE_ALIASES: ReadonlyMap<string, Role> = new Map([
  ['ic', 'ic'],
  ['commander', 'ic'],
  ['incident-commander', 'ic'],
  ['tech', 'tech'],
  ['lead', 'tech'],
  ['tech-lead', 'tech'],
  ['techlead', 'tech'],
  ['comms', 'comms'],
  ['communications', 'comms'],
  ['comms-lead', 'comms'],
  ['scribe', 'scribe'],
]);

const MENTION = /^<@([UW][A-Z0-9]+)>$/;

function invalid(message: string, usage: string): never {
  throw new DomainError('INVALID_INPUT', `${message}\nUsage: ${usage}`);
}

/** `sev1`, `SEV1`, `sev-1` or `1`; undefined when the word is not a severity. */
export function parseSeverity(word: string): Severity | undefined {
  const match = /^(?:sev-?)?([123])$/i.exec(word.trim());
  return match ? (`sev${match[1]}` as Severity) : undefined;
}

export function parseRole(word: string): Role | undefined {
  return ROLE_ALIASES.get(word.trim().toLowerCase());
}

const NO_VISIBLE_TITLE = 'The title has no visible character in it: use letters, digits or symbols.';

/** Checks a title from the command line or the form; returns it cleaned to one visible line. */
export function validateTitle(title: string): string {
  const trimmed = cleanLine(title);
  if (!trimmed) {
    invalid(title.trim() ? NO_VISIBLE_TITLE : 'The incident needs a title.', USAGE.declare);
  }
  if (trimmed.length > MAX_TITLE_LENGTH) {
    invalid(`The title is ${trimmed.length} characters; keep it under ${MAX_TITLE_LENGTH}.`, USAGE.declare);
  }
  return trimmed;
}

function requireText(text: string, what: string, usage: string): string {
  const trimmed = cleanText(text);
  if (!trimmed) invalid(`${what} is missing.`, usage);
  if (trimmed.length > MAX_TEXT_LENGTH) {
    invalid(`${what} is ${trimmed.length} characters; keep it under ${MAX_TEXT_LENGTH}.`, usage);
  }
  return trimmed;
}

/** `stats [30d|90d|quarter] [here]`, in either order; 30 days when no span is given. */
function parseStats(words: readonly string[]): IncidentCommand {
  let span: StatsSpan | undefined;
  let here = false;
  for (const word of words.filter(Boolean)) {
    const lower = word.toLowerCase();
    if (lower === 'here' && !here) here = true;
    else if ((STATS_SPANS as readonly string[]).includes(lower) && !span) span = lower as StatsSpan;
    else invalid(`${quoted(word)} is not a period: use 30d, 90d or quarter (and \`here\` to post it to the channel).`, USAGE.stats);
  }
  return { kind: 'stats', span: span ?? '30d', here };
}

/**
 * Parses the text after `/incident`. Mentions must already be in the canonical
 * `<@U123>` form (see the Slack transport). Throws INVALID_INPUT with the right
 * usage when the words do not fit.
 */
export function parseIncidentCommand(text: string): IncidentCommand {
  // Cleaned first, so an invisible character can neither hide in a word nor be all of a text.
  const trimmed = cleanText(text);
  const [head = '', ...restWords] = trimmed.split(/\s+/);
  const rest = trimmed.slice(head.length).trim();
  const sub = head.toLowerCase();

  switch (sub) {
    case '':
      return { kind: 'declare-form' };
    case 'declare': {
      if (!rest) return { kind: 'declare-form' };
      const severity = parseSeverity(restWords[0] ?? '');
      if (!severity) {
        invalid(`${quoted(restWords[0] ?? '')} is not a severity: use sev1, sev2 or sev3.`, USAGE.declare);
      }
      const title = rest.slice(restWords[0]!.length);
      // The command was cleaned as a whole: the raw words tell an invisible title from none.
      if (!cleanLine(title) && text.trim().split(/\s+/).length > 2) invalid(NO_VISIBLE_TITLE, USAGE.declare);
      return { kind: 'declare', severity, title: validateTitle(title) };
    }
    case 'role': {
      const [roleWord, mention, ...extra] = restWords;
      if (!roleWord) invalid('Say which role and who.', USAGE.role);
      const role = parseRole(roleWord);
      if (!role) invalid(`${quoted(roleWord)} is not a role: use ic, tech, comms or scribe.`, USAGE.role);
      const userId = mention ? MENTION.exec(mention)?.[1] : undefined;
      if (!userId || extra.length > 0) invalid('Mention exactly one person with @.', USAGE.role);
      return { kind: 'role', role, userId };
    }
    case 'severity':
    case 'sev': {
      const severity = parseSeverity(restWords[0] ?? '');
      if (!severity || restWords.length !== 1) {
        invalid(restWords[0] ? `${quoted(rest)} is not a severity.` : 'Say which severity.', USAGE.severity);
      }
      return { kind: 'severity', severity };
    }
    case 'status': {
      const word = (restWords[0] ?? '').toLowerCase();
      if (word === 'resolved') {
        invalid('Resolving has its own command: `/incident resolve`.', USAGE.status);
      }
      if (!(ACTIVE_STATUSES as readonly string[]).includes(word)) {
        invalid(word ? `${quoted(restWords[0] ?? '')} is not a status.` : 'Say which status.', USAGE.status);
      }
      const message = cleanText(rest.slice(word.length));
      if (message.length > MAX_TEXT_LENGTH) {
        invalid(`The message is ${message.length} characters; keep it under ${MAX_TEXT_LENGTH}.`, USAGE.status);
      }
      return { kind: 'status', status: word as ActiveStatus, message };
    }
    case 'note':
      return { kind: 'note', text: requireText(rest, 'The note', USAGE.note) };
    case 'resolve': {
      const summary = cleanText(rest);
      if (summary.length > MAX_TEXT_LENGTH) invalid(`The summary is ${summary.length} characters; keep it under ${MAX_TEXT_LENGTH}.`, USAGE.resolve);
      return { kind: 'resolve', summary };
    }
    case 'action':
      return { kind: 'action', raw: requireText(rest, 'The action', USAGE.action) };
    case 'done':
      if (restWords.length > 1) invalid('Give one item number.', USAGE.done);
      return { kind: 'done', number: restWords[0] };
    case 'drop':
      return { kind: 'drop', number: restWords[0], reason: cleanLine(rest.slice((restWords[0] ?? '').length)) };
    case 'page':
      return { kind: 'page', words: restWords };
    case 'service':
      if (restWords.length !== 1 || !rest) invalid(rest ? 'Give one service name.' : 'Say which service.', USAGE.service);
      return { kind: 'service', name: rest };
    case 'impact': {
      const edge = (restWords[0] ?? '').toLowerCase();
      if (edge !== 'started' && edge !== 'ended') invalid(edge ? `${quoted(restWords[0]!)} is neither \`started\` nor \`ended\`.` : 'Say whether impact started or ended, and when.', USAGE.impact);
      const when = rest.slice(edge.length).trim();
      if (!when) invalid(`Say when impact ${edge}.`, USAGE.impact);
      return { kind: 'impact', edge, when };
    }
    case 'slo':
      if (restWords.length > 1) invalid('Give one service name, or none for every SLO.', USAGE.slo);
      return { kind: 'slo', service: rest || undefined };
    case 'stats':
      return parseStats(restWords);
    case 'digest':
      if (rest && rest.toLowerCase() !== 'here') invalid(`\`digest\` takes only \`here\`.`, USAGE.digest);
      return { kind: 'digest', here: rest.toLowerCase() === 'here' };
    case 'roles':
    case 'timeline':
    case 'list':
    case 'oncall':
    case 'reopen':
    case 'actions':
    case 'postmortem':
    case 'help':
      if (rest) invalid(`\`${sub}\` takes nothing after it.`, USAGE[sub]);
      return { kind: sub };
    default:
      throw new DomainError(
        'INVALID_INPUT',
        `${quoted(head)} is not an /incident command. Try \`/incident help\` for the list.`,
      );
  }
}
