import type { WebClientOptions } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { slackLogger } from '../logger.js';
import { MeteredWebClient } from '../metrics/web-api.js';
import { SlackGateway } from './gateway.js';
import { undiciFetch } from './undici-fetch.js';

/** Web API client options shared by every client the bot makes. */
export function webClientOptions(config: Config, logger: Logger, timeoutMs: number): WebClientOptions {
  return {
    slackApiUrl: config.slack.apiUrl,
    logger: slackLogger(logger),
    // One pool of kept-alive connections (a declaration makes about eight calls
    // in a row), through undici's request rather than the global fetch: see undici-fetch.ts.
    fetch: undiciFetch(),
    // The outbox is the one place Slack calls are retried: it knows, before
    // repeating a post or a channel creation, whether the first one went
    // through. The client's own silent retries would double them.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
  };
}

/** The gateway every Slack call of the bot goes through; its calls are counted (src/metrics/web-api.ts). */
export function createGateway(config: Config, logger: Logger, timeoutMs: number): SlackGateway {
  return new SlackGateway(new MeteredWebClient(config.slack.botToken, webClientOptions(config, logger, timeoutMs)));
}
