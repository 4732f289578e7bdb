/**
 * Compares a response with Slack's own record of its response shapes
 * (specs/slack/web-api/METHOD.json: every key seen in real Slack
 * answers, values blanked). A key the sample never had, or a value of another
 * JSON type, is a problem. Samples say nothing about which keys are required.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's own unchanged copies of Slack's published files (specs/README.md says where each came from). */
export const SLACK_SPECS = fileURLToPath(new URL('../../specs/slack/', import.meta.url));

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * Keys whose content is the app's own, echoed back by Slack (Block Kit it
 * posted, metadata it attached): their type is checked, not their inside.
 */
const APP_CONTENT = new Set(['blocks']);

export function shapeProblems(value: unknown, sample: unknown, path = '$'): string[] {
  const want = jsonType(sample);
  const got = jsonType(value);
  if (want !== got) return [`${path}: ${got} where Slack has ${want}`];
  if (APP_CONTENT.has(path.split('.').pop() ?? '')) return [];
  if (got === 'array') {
    const [first] = sample as unknown[];
    if (first === undefined) return [];
    return (value as unknown[]).flatMap((v, i) => shapeProblems(v, first, `${path}[${i}]`));
  }
  if (got === 'object') {
    const s = sample as Record<string, unknown>;
    // An empty object in the record (metadata.event_payload, view.state) is a
    // free-form map whose keys Slack's record does not list.
    if (Object.keys(s).length === 0) return [];
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      k in s ? shapeProblems(v, s[k], `${path}.${k}`) : [`${path}.${k}: key Slack never sends`],
    );
  }
  return [];
}

export function sampleFor(kind: 'web-api' | 'payloads', name: string): unknown | undefined {
  const file = join(SLACK_SPECS, kind, `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}
