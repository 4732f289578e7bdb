import { ErrorCode } from '@slack/web-api';

/** The variables that hold a Slack token, and where a person finds the right one. */
const WHERE: Readonly<Record<TokenVariable, string>> = {
  SLACK_BOT_TOKEN: 'the Bot User OAuth Token (xoxb-...) on your app\'s "OAuth & Permissions" page',
  SLACK_APP_TOKEN: 'the app-level token (xapp-...) under your app\'s "Basic Information" > "App-Level Tokens"',
};

export type TokenVariable = 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN';

/**
 * What each of Slack's token refusals means for the person starting the bot
 * (api.slack.com/methods/auth.test, "Errors"). Slack answers these as
 * ok:false on HTTP 200: retrying never helps, the token has to change.
 */
const REFUSALS: Readonly<Record<string, (where: string) => string>> = {
  invalid_auth: (where) => `Slack does not know this token. Copy ${where} again.`,
  not_authed: (where) => `no token reached Slack. Set it to ${where}.`,
  account_inactive: (where) => `the token belongs to a deactivated user or workspace. Reinstall the app, then copy ${where}.`,
  token_revoked: (where) => `the token has been revoked (the app was uninstalled, or the token regenerated). Copy the current one: ${where}.`,
  token_expired: (where) => `the token has expired (token rotation is on). Copy a fresh one: ${where}.`,
};

/** Slack's refusal of the token in `variable`, said so that the person knows what to change. */
export class TokenRefusedError extends Error {
  constructor(
    readonly variable: TokenVariable,
    readonly slackError: string,
  ) {
    super(`Slack refused ${variable} (${slackError}): ${REFUSALS[slackError]?.(WHERE[variable]) ?? `check ${WHERE[variable]}.`}`);
    this.name = 'TokenRefusedError';
  }
}

/** A TokenRefusedError when `error` is Slack refusing the token itself; undefined for anything else (outages, timeouts). */
export function tokenRefusal(variable: TokenVariable, error: unknown): TokenRefusedError | undefined {
  const e = error as { code?: unknown; data?: { error?: unknown } } | undefined;
  if (e?.code !== ErrorCode.PlatformError || typeof e.data?.error !== 'string') return undefined;
  return e.data.error in REFUSALS ? new TokenRefusedError(variable, e.data.error) : undefined;
}
