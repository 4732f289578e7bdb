/** Markdown helpers for the postmortem: people, table cells, durations, UTC times. */
import { formatInTimeZone } from '../domain/time.js';

/** A Slack user as a canvas mention (`![](@U123)`), which Slack renders as the person's name. */
export function person(userId: string | null): string {
  if (!userId) return '_unknown_';
  if (userId.startsWith('system:')) return 'the bot';
  return `![](@${userId})`;
}

/** User text for Markdown: mentions as canvas mentions, no line breaks or pipes to break a table. */
export function prose(text: string): string {
  return text.replace(/<@([UW][A-Z0-9]+)>/g, (_m, id: string) => person(id));
}

export function cell(text: string): string {
  return prose(text).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

export function utc(date: Date): string {
  return `${formatInTimeZone(date, 'yyyy-MM-dd HH:mm')} UTC`;
}


export const TO_FILL = '**[to fill]**';
