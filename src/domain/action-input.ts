import { cleanLine, hasVisibleCharacter } from './clean-text.js';
import { quoted } from './echo.js';
import { DomainError } from './errors.js';
import { addCalendarDays, looksLikeDate, parseDueDate, type CalendarDay } from './due-date.js';

export const ACTION_USAGE = '`/incident action <text> [@owner] [due <YYYY-MM-DD | tomorrow | in 3d | in 2w | next monday>]`';
export const DEFAULT_DUE_DAYS = 14;
export const MAX_ACTION_TEXT = 500;

export interface ActionInput {
  readonly text: string;
  readonly ownerId: string;
  readonly dueDate: CalendarDay;
  /** True when the owner was not named and defaults to whoever typed it. */
  readonly ownerDefaulted: boolean;
  readonly dueDefaulted: boolean;
}

function invalid(message: string): never {
  throw new DomainError('INVALID_INPUT', `${message}\nUsage: ${ACTION_USAGE}`);
}

/**
 * `Add a canary stage to deploys <@U123> due next monday`: the owner mention
 * and the `due` clause are read from the end; what is left is the text. A
 * trailing "due ..." that does not look like a date stays part of the text
 * ("retry failed due to OOM"); one that looks like a date but is not one is an
 * error, so a typo never silently becomes "14 days from now". The clause is
 * the last "due" of the line: the text may say "due" too ("Due today banner").
 */
export function parseActionInput(raw: string, typedBy: string, today: CalendarDay): ActionInput {
  let rest = cleanLine(raw);
  let dueDate: CalendarDay | undefined;
  // The last "due" word: what follows it holds no other.
  const due = /\s*\bdue\s+((?:(?!\bdue\s).)+)$/i.exec(rest);
  if (due && looksLikeDate(due[1]!)) {
    dueDate = parseDueDate(due[1]!, today);
    if (!dueDate) invalid(`${quoted(due[1]!.trim())} is not a date I can read.`);
    rest = rest.slice(0, due.index).trim();
  }
  let ownerId: string | undefined;
  const owner = /\s*<@([UW][A-Z0-9]+)>$/.exec(rest);
  if (owner) {
    ownerId = owner[1];
    rest = rest.slice(0, owner.index).trim();
  }
  // Checked after the owner and the due date are taken off: `\u0301 <@U1>` leaves nothing to see.
  if (!hasVisibleCharacter(rest)) invalid('Say what needs doing.');
  if (rest.length > MAX_ACTION_TEXT) invalid(`The action is ${rest.length} characters; keep it under ${MAX_ACTION_TEXT}.`);
  return {
    text: rest,
    ownerId: ownerId ?? typedBy,
    dueDate: dueDate ?? addCalendarDays(today, DEFAULT_DUE_DAYS),
    ownerDefaulted: !ownerId,
    dueDefaulted: !dueDate,
  };
}
