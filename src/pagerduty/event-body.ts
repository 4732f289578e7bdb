import { cleanLine, cutText } from '../domain/clean-text.js';
import type { PagerDutyAnswer } from './client.js';

/** Long enough to name the proxy or the error page, short enough for one line in the channel. */
const MAX_EXCERPT = 200;

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * An HTML page (or any text) as the words a reader would see on it: scripts,
 * styles and comments dropped, tags made spaces, the common entities read,
 * on one line, cut short. Not an HTML parser: only what names the page
 * ("403 Forbidden nginx", "Request Entity Too Large") has to come through.
 */
function plainExcerpt(text: string): string {
  const words = text
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? entity;
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    });
  return cutText(cleanLine(words), MAX_EXCERPT);
}

/**
 * The body of an Events API answer: PagerDuty's JSON object, or, when
 * something else answered (a proxy's HTML 403 or 413, a load balancer's 502
 * page, an empty body), none, and what the page said as an excerpt, so the
 * status still decides and the channel can be told who refused.
 */
export function readEventBody(text: string): Pick<PagerDutyAnswer, 'body' | 'excerpt'> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return { body: parsed as PagerDutyAnswer['body'] };
  } catch {
    // Not JSON: read as a page below.
  }
  const excerpt = plainExcerpt(text);
  return excerpt ? { body: undefined, excerpt } : { body: undefined };
}
