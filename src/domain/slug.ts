import { incidentRef } from './model.js';

/** Slack's limit on channel names. */
export const MAX_CHANNEL_NAME = 80;

/**
 * Lowercase ASCII letters, digits and single dashes. Accents are folded so
 * "Café" gives "cafe" rather than disappearing.
 */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/<@[a-z0-9]+>/g, ' ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * `inc-<number>-<slug>`, at most 80 characters; `attempt` > 0 adds a suffix
 * for when Slack answers `name_taken`. The number keeps names unique between
 * our own incidents; the suffix only matters when a person took the name.
 */
export function incidentChannelName(incidentId: number, title: string, attempt = 0): string {
  const prefix = incidentRef(incidentId).toLowerCase();
  const suffix = attempt > 0 ? `-${attempt + 1}` : '';
  const room = MAX_CHANNEL_NAME - prefix.length - suffix.length - 1;
  const slug = slugify(title).slice(0, room).replace(/-+$/g, '');
  return slug ? `${prefix}-${slug}${suffix}` : `${prefix}${suffix}`;
}
