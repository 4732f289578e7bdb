import { App, HTTPReceiver, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { slackLogger } from '../logger.js';
import { arrivalProperties, noteListenerFailures } from '../metrics/slack-requests.js';
import { registerButtons } from './actions/buttons.js';
import { registerAlertButtons } from './actions/alert-buttons.js';
import { registerDeclareModal } from './actions/declare-modal-submitted.js';
import { registerHomeButtons } from './actions/home-buttons.js';
import { registerPostmortemButtons } from './actions/postmortem-buttons.js';
import { registerIncidentCommand } from './commands/incident-command.js';
import { registerErrorReplies } from './error-replies.js';
import { registerAppHomeEvents } from './events/app-home.js';
import { registerMessageChangeEvents } from './events/message-changes.js';
import { registerReactionEvents } from './events/reactions.js';
import { registerPeopleNames } from './people-names.js';
import type { SlackServices } from './services.js';
import { AnsweringReceiver } from './answering-receiver.js';

export interface BotIdentity {
  readonly userId: string;
  readonly teamId: string;
  readonly botId: string;
}

export interface SlackApp {
  readonly app: App;
  /** HTTP mode: Bolt's handler for `POST /slack/events`, mounted on our own server. */
  readonly httpListener: HTTPReceiver['requestListener'] | undefined;
  /** Every request handed to Bolt is answered; a stop waits for those still processed. */
  readonly requests: Pick<AnsweringReceiver, 'inFlight' | 'settled' | 'drain'>;
  /** Socket Mode: the client whose lifecycle events say whether the socket is up (readiness). */
  readonly socket: SocketModeReceiver['client'] | undefined;
}

/**
 * Wires Bolt: the receiver for the chosen mode, every listener, and the one
 * error handler. Bolt only parses, verifies and acknowledges; listeners hand
 * over to the domain.
 */
export function createSlackApp(
  config: Config,
  services: SlackServices,
  identity: Promise<BotIdentity>,
  clientOptions: WebClientOptions,
  logger: Logger,
): SlackApp {
  const boltLogger = slackLogger(logger);
  let receiver: Receiver;
  let httpListener: HTTPReceiver['requestListener'] | undefined;
  let socket: SocketModeReceiver['client'] | undefined;
  if (config.slack.socketMode) {
    const socketMode = new SocketModeReceiver({
      appToken: config.slack.appToken!,
      logger: boltLogger,
      installerOptions: { clientOptions },
    });
    receiver = socketMode;
    socket = socketMode.client;
  } else {
    // The arrival noted by our route goes with the event, for its acknowledgement time (src/metrics/slack-requests.ts).
    const http = new HTTPReceiver({ signingSecret: config.slack.signingSecret!, logger: boltLogger, customPropertiesExtractor: arrivalProperties });
    receiver = http;
    httpListener = http.requestListener;
  }
  const requests = new AnsweringReceiver(receiver, logger.child({ component: 'slack' }));
  const app = new App({
    receiver: requests,
    logger: boltLogger,
    clientOptions,
    extendedErrorHandler: true,
    // One workspace, one token: the identity comes from our own auth.test at start.
    authorize: async () => {
      const me = await identity;
      return { botToken: config.slack.botToken, botId: me.botId, botUserId: me.userId, teamId: me.teamId };
    },
  });
  // First, so that it sees every listener's failure before the error handler does.
  app.use(noteListenerFailures);
  registerPeopleNames(app, services);
  registerIncidentCommand(app, services);
  registerDeclareModal(app, services);
  registerButtons(app, services);
  registerAlertButtons(app, services, config.alertmanager.rules);
  registerPostmortemButtons(app, services);
  registerReactionEvents(app, services);
  registerMessageChangeEvents(app, services);
  registerAppHomeEvents(app, services);
  registerHomeButtons(app, services);
  registerErrorReplies(app, services.slack, logger);
  return { app, httpListener, requests, socket };
}
