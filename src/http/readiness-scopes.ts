/**
 * The bot scopes manifest.yml asks for, and what an install that lacks some
 * of them can still do. Slack says which scopes a token holds in the
 * `x-oauth-scopes` header of every Web API answer (auth.test's included): an
 * app installed from an older manifest keeps the scopes it was installed
 * with, until someone updates the app and reinstalls it.
 */

/**
 * manifest.yml's `oauth_config.scopes.bot`, in its order
 * (test/contract/manifest.test.ts checks that the two agree). A constant
 * rather than the file read at start: a container image need not ship it.
 */
export const MANIFEST_BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'channels:manage',
  'channels:read',
  'channels:history',
  'channels:join',
  'groups:write',
  'groups:read',
  'groups:history',
  'im:write',
  'im:history',
  'pins:write',
  'reactions:read',
  'canvases:write',
  'files:write',
  'users:read',
  'users:read.email',
] as const;

/**
 * The scopes without which a declaration gets no working channel: the
 * command itself, the channel made and people invited (a public channel,
 * the default), the header posted and pinned. Missing one, the bot is not
 * ready. Any other missing scope costs one feature (private incidents,
 * the canvas, a digest resumed in a DM…): a warning, and the bot stays ready.
 */
export const DECLARATION_SCOPES: readonly string[] = ['commands', 'channels:manage', 'chat:write', 'pins:write'];

/** The manifest's scopes `granted` lacks, in the manifest's order. */
export function missingScopes(granted: readonly string[]): string[] {
  const held = new Set(granted);
  return MANIFEST_BOT_SCOPES.filter((scope) => !held.has(scope));
}

/** The warning for an install that lacks `missing`, with how to fix it. */
export function missingScopesWarning(missing: readonly string[]): string {
  return (
    `the bot token lacks ${missing.length === 1 ? 'a scope' : 'scopes'} manifest.yml asks for (${missing.join(', ')}): ` +
    'the app was installed from an older manifest. Update the app from manifest.yml (api.slack.com/apps, your app, App Manifest) and reinstall it to the workspace'
  );
}
