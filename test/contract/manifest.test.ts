/**
 * manifest.yml is what a workspace admin installs: it must be a valid Slack
 * manifest, and grant every scope and event the code relies on.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAjv } from '../support/ajv.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SPECS = join(ROOT, 'specs/slack');

function loadSchemaValidator() {
  const schema = JSON.parse(readFileSync(join(SPECS, 'manifest.schema.1.0.0.json'), 'utf8'));
  return createAjv().compile(schema);
}

/** Bot scopes each Web API method needs (api.slack.com/methods/<method>). */
const METHOD_SCOPES: Record<string, string[][]> = {
  'auth.test': [[]],
  'conversations.create': [['channels:manage'], ['groups:write']],
  'conversations.list': [['channels:read', 'groups:read']],
  'conversations.invite': [['channels:manage', 'groups:write']],
  'conversations.setTopic': [['channels:manage', 'groups:write']],
  'conversations.setPurpose': [['channels:manage', 'groups:write']],
  'conversations.history': [['channels:history', 'groups:history']],
  'conversations.replies': [['channels:history', 'groups:history']],
  'chat.postMessage': [['chat:write']],
  'chat.update': [['chat:write']],
  'chat.postEphemeral': [['chat:write']],
  'chat.getPermalink': [[]],
  'pins.add': [['pins:write']],
  'reactions.get': [['reactions:read']],
  'views.open': [[]],
  'views.publish': [[]],
  'conversations.canvases.create': [['canvases:write']],
  'canvases.edit': [['canvases:write']],
  'files.uploadV2': [['files:write']],
  'users.lookupByEmail': [['users:read.email']],
  'users.info': [['users:read']],
  'conversations.members': [['channels:read', 'groups:read']],
  'conversations.open': [['im:write']],
  'conversations.join': [['channels:join']],
};

/** Events each listener needs subscribed. */
const EVENT_SUBSCRIPTIONS: Record<string, string[]> = {
  reaction_added: ['reaction_added'],
  reaction_removed: ['reaction_removed'],
  message: ['message.channels', 'message.groups'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const source = sourceFiles(join(ROOT, 'src')).map((f) => readFileSync(f, 'utf8')).join('\n');
const manifest = parse(readFileSync(join(ROOT, 'manifest.yml'), 'utf8'));

describe('manifest.yml', () => {
  it('is valid against Slack manifest schema 1.0.0', () => {
    const validate = loadSchemaValidator();
    expect(validate(manifest), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('uses a validator that tells good manifests from bad ones (Slack own examples)', () => {
    const validate = loadSchemaValidator();
    expect(validate(JSON.parse(readFileSync(join(SPECS, 'manifest.example.valid.json'), 'utf8')))).toBe(true);
    expect(validate(JSON.parse(readFileSync(join(SPECS, 'manifest.example.invalid.json'), 'utf8')))).toBe(false);
  });

  it('turns Socket Mode on and escapes /incident mentions', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    const command = manifest.features.slash_commands.find((c: { command: string }) => c.command === '/incident');
    expect(command.should_escape).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('grants a scope for every Web API method the code calls', () => {
    const called = new Set([...source.matchAll(/client\.((?:\w+\.)+\w+)\(/g)].map((m) => m[1]!));
    for (const m of source.matchAll(/paginate\('([\w.]+)'/g)) called.add(m[1]!);
    expect(called.size).toBeGreaterThan(10);
    const granted = new Set<string>(manifest.oauth_config.scopes.bot);
    for (const method of called) {
      const options = METHOD_SCOPES[method];
      expect(options, `no scope listed for ${method}: add it to METHOD_SCOPES`).toBeDefined();
      const covered = options!.some((needed) => needed.every((s) => granted.has(s)));
      expect(covered, `${method} needs one of ${JSON.stringify(options)}`).toBe(true);
    }
    expect(granted.has('commands')).toBe(true);
  });

  it('subscribes to every event the code listens to', () => {
    const listened = new Set([...source.matchAll(/app\.event\('(\w+)'/g)].map((m) => m[1]!));
    expect(listened.size).toBeGreaterThan(0);
    const subscribed = new Set<string>(manifest.settings.event_subscriptions.bot_events);
    for (const event of listened) {
      for (const needed of EVENT_SUBSCRIPTIONS[event] ?? [event]) expect(subscribed, `${event} needs ${needed}`).toContain(needed);
    }
  });

  it('turns the Home tab on, since the code publishes one', () => {
    expect(source).toMatch(/views\.publish\(/);
    // Slack answers views.publish of a Home view with not_enabled unless the tab is on.
    expect(manifest.features.app_home?.home_tab_enabled).toBe(true);
  });
});
