/**
 * Checks what the bot sends PagerDuty against PagerDuty's own OpenAPI files
 * (specs/pagerduty, unchanged copies): every Events API v2 body against the
 * /enqueue request schema, every REST request's path and query parameters
 * against rest.openapi.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAjv } from './ajv.js';

const SPECS = fileURLToPath(new URL('../../specs/pagerduty/', import.meta.url));

type Json = Record<string, unknown>;
const events = JSON.parse(readFileSync(join(SPECS, 'events-v2.openapi.json'), 'utf8')) as Json;
const rest = JSON.parse(readFileSync(join(SPECS, 'rest.openapi.json'), 'utf8')) as Json;

function at(doc: Json, path: string[]): Json {
  return path.reduce<Json>((o, k) => o[k] as Json, doc);
}

const enqueueSchema = at(events, ['paths', '/enqueue', 'post', 'requestBody', 'content', 'application/json', 'schema']);
// $refs point into the same document, whose components ride along.
const ajv = createAjv();
const validateEnqueue = ajv.compile({ ...enqueueSchema, components: events.components });

/** Problems with an Events API v2 body; a trigger must also carry a payload (PagerDuty rejects one without). */
export function eventProblems(body: unknown): string[] {
  const problems = validateEnqueue(body) ? [] : (validateEnqueue.errors ?? []).map((e) => `${e.instancePath || '$'} ${e.message}`);
  const b = body as { event_action?: string; payload?: unknown };
  if (b?.event_action === 'trigger' && !b.payload) problems.push('$ trigger without payload');
  return problems;
}

function resolveParameter(p: Json): Json {
  const ref = p.$ref as string | undefined;
  return ref ? at(rest, ref.replace(/^#\//, '').split('/')) : p;
}

/** Problems with a REST request: unknown path or method, undeclared query parameters, values outside their enum. */
export function restRequestProblems(method: string, path: string, query: URLSearchParams): string[] {
  const paths = rest.paths as Record<string, Json>;
  const template = Object.keys(paths).find((t) => new RegExp(`^${t.replace(/\{[^/]+\}/g, '[^/]+')}$`).test(path));
  if (!template) return [`no path ${path} in rest.openapi.json`];
  const operation = paths[template]![method.toLowerCase()] as Json | undefined;
  if (!operation) return [`no ${method} ${template} in rest.openapi.json`];
  const declared = ((operation.parameters ?? []) as Json[]).map(resolveParameter).filter((p) => p.in === 'query');
  const problems: string[] = [];
  for (const [name, value] of query.entries()) {
    const parameter = declared.find((p) => p.name === name);
    if (!parameter) {
      problems.push(`query parameter ${name} is not declared for ${method} ${template}`);
      continue;
    }
    const schema = parameter.schema as Json | undefined;
    const enumValues = ((schema?.items as Json | undefined)?.enum ?? schema?.enum) as unknown[] | undefined;
    if (enumValues && !enumValues.includes(value)) problems.push(`${name}=${value} is not one of ${JSON.stringify(enumValues)}`);
  }
  return problems;
}
