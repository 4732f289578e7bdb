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
import type { WebClient } from '@slack/web-api';
import { SlackGateway } from '../../src/slack/gateway.js';
import { DECLARATION_SCOPES, MANIFEST_BOT_SCOPES } from '../../src/http/readiness-scopes.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SPECS = join(ROOT, 'specs/slack');

function loadSchemaValidator() {
  const schema = JSON.parse(readFileSync(join(SPECS, 'manifest.schema.1.0.0.json'), 'utf8'));
  return createAjv().compile(schema);
}

/** The kinds of conversation a method acts on; `none`: it is not about a conversation. */
type Kind = 'public' | 'private' | 'im' | 'none';

/**
 * For each Web API method the code calls, the bot scopes it needs on each kind
 * of conversation the bot calls it on (docs.slack.dev/reference/methods/<method>,
 * "Bot token": Slack wants the scope of the conversation's type, e.g.
 * channels:history in a public channel, groups:history in a private one,
 * im:history in a DM). Incident, announcement, digest and alert-route channels
 * may each be public or private; DMs are the digest's to each owner (a
 * successor reads them back, SlackGateway.findDigestPart) and tellUser's.
 */
const METHOD_SCOPES: Record<string, Partial<Record<Kind, string[]>>> = {
  'auth.test': { none: [] },
  'conversations.create': { public: ['channels:manage'], private: ['groups:write'] },
  // Asked for public_channel,private_channel at once: Slack wants both read scopes.
  'conversations.list': { public: ['channels:read'], private: ['groups:read'] },
  'conversations.invite': { public: ['channels:manage'], private: ['groups:write'] },
  'conversations.setTopic': { public: ['channels:manage'], private: ['groups:write'] },
  'conversations.setPurpose': { public: ['channels:manage'], private: ['groups:write'] },
  'conversations.history': { public: ['channels:history'], private: ['groups:history'], im: ['im:history'] },
  'conversations.replies': { public: ['channels:history'], private: ['groups:history'], im: ['im:history'] },
  // Announcements and alert notices go to public channels the bot may not be in.
  'chat.postMessage': { public: ['chat:write', 'chat:write.public'], private: ['chat:write'], im: ['chat:write'] },
  'chat.update': { public: ['chat:write'], private: ['chat:write'] },
  // A bad command typed in the DM with the bot is answered there.
  'chat.postEphemeral': { public: ['chat:write'], private: ['chat:write'], im: ['chat:write'] },
  'chat.getPermalink': { public: [], private: [] },
  'pins.add': { public: ['pins:write'], private: ['pins:write'] },
  'reactions.get': { public: ['reactions:read'], private: ['reactions:read'] },
  'views.open': { none: [] },
  'views.publish': { none: [] },
  'conversations.canvases.create': { public: ['canvases:write'], private: ['canvases:write'] },
  'canvases.edit': { none: ['canvases:write'] },
  'files.uploadV2': { public: ['files:write'], private: ['files:write'] },
  'users.lookupByEmail': { none: ['users:read.email'] },
  'users.info': { none: ['users:read'] },
  // Asked only of private incidents' channels (slack/audience.ts).
  'conversations.members': { private: ['groups:read'] },
  'conversations.info': { public: ['channels:read'], private: ['groups:read'] },
  'conversations.open': { im: ['im:write'] },
  // A private channel answers method_not_supported_for_channel_type, which the gateway tolerates.
  'conversations.join': { public: ['channels:join'] },
};

/**
 * A SlackGateway over a client that records each Web API call with the kind of
 * conversation it is about (D…, or a user id Slack opens a DM for: im).
 */
function recordingGateway(calls: { method: string; kind: Kind }[]): SlackGateway {
  const answers: Record<string, unknown> = {
    'conversations.open': { ok: true, channel: { id: 'D0OWNER1' } },
    'conversations.history': { ok: true, messages: [] },
    'conversations.replies': { ok: true, messages: [] },
    'chat.postMessage': { ok: true, ts: '1700000000.000100', channel: 'D0OWNER1' },
  };
  const kindOf = (args: Record<string, string | undefined>): Kind => {
    const id = args.channel ?? args.channel_id ?? args.users ?? '';
    return /^[DUW]/.test(id) ? 'im' : id.startsWith('G') ? 'private' : id ? 'public' : 'none';
  };
  const node = (path: string[]): unknown =>
    new Proxy(() => undefined, {
      get: (_target, key) => (typeof key === 'string' ? node([...path, key]) : undefined),
      apply: async (_target, _this, [args]: [Record<string, string | undefined>]) => {
        const method = path.join('.');
        calls.push({ method, kind: kindOf(args ?? {}) });
        return answers[method] ?? { ok: true };
      },
    });
  return new SlackGateway(node([]) as WebClient);
}

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

  it('asks for the bot scopes the start compares an install with (MANIFEST_BOT_SCOPES), and those every declaration needs among them', () => {
    expect([...MANIFEST_BOT_SCOPES]).toEqual(manifest.oauth_config.scopes.bot);
    for (const scope of DECLARATION_SCOPES) expect(MANIFEST_BOT_SCOPES).toContain(scope);
  });

  it('grants, for every Web API method the code calls, its scope on each kind of conversation it is called on', () => {
    const called = new Set([...source.matchAll(/client\.((?:\w+\.)+\w+)\(/g)].map((m) => m[1]!));
    for (const m of source.matchAll(/paginate\('([\w.]+)'/g)) called.add(m[1]!);
    expect(called.size).toBeGreaterThan(10);
    const granted = new Set<string>(manifest.oauth_config.scopes.bot);
    for (const method of called) {
      const kinds = METHOD_SCOPES[method];
      expect(kinds, `no scope listed for ${method}: add it to METHOD_SCOPES`).toBeDefined();
      for (const [kind, needed] of Object.entries(kinds!)) {
        for (const scope of needed) expect(granted.has(scope), `${method} in a ${kind} conversation needs ${scope}`).toBe(true);
      }
    }
    expect(granted.has('commands')).toBe(true);
  });

  it('lists under DMs every call the digest makes in an owner\'s DM, as a successor finishing a half-posted one does', async () => {
    const calls: { method: string; kind: Kind }[] = [];
    const slack = recordingGateway(calls);
    // DigestRunner.postParts with a DM part (its channel is the owner's user id): look for the
    // root, then for a reply in its thread, then post; tellUser falls back to a DM.
    await slack.findDigestPart('U0OWNER1', undefined, '2026-11-30T09:00:00.000Z', 'dm-U0OWNER1-0');
    await slack.findDigestPart('U0OWNER1', '1700000000.000100', '2026-11-30T09:00:00.000Z', 'dm-U0OWNER1-1');
    await slack.postIn('U0OWNER1', 'Your action items, part 2', { blocks: [], threadTs: '1700000000.000100' });
    await slack.tellUser('U0OWNER1', null, 'Could not do that.');
    const inDms = calls.filter((c) => c.kind === 'im');
    expect(inDms.map((c) => c.method)).toEqual(expect.arrayContaining(['conversations.open', 'conversations.history', 'conversations.replies', 'chat.postMessage']));
    const granted = new Set<string>(manifest.oauth_config.scopes.bot);
    for (const { method } of inDms) {
      const needed = METHOD_SCOPES[method]?.im;
      expect(needed, `${method} is called in a DM: list its im scopes in METHOD_SCOPES`).toBeDefined();
      for (const scope of needed!) expect(granted.has(scope), `${method} in a DM needs ${scope}`).toBe(true);
    }
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
