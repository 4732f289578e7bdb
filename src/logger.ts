import { pino, type DestinationStream, type Logger } from 'pino';
// From the Web API client (Bolt re-exports the same): the outbox thread, which logs through this
// module too, then loads no Bolt, no Express (thread-bundle.ts).
import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';

export type { Logger };

/** Structured JSON lines on stdout (or wherever `destination` points). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, base: { app: 'incident-bot' } }, destination ?? process.stdout);
}

const TO_SLACK: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

/** Bolt and the Web API client log through pino too, so every line is JSON. */
export function slackLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'slack' });
  let level = TO_SLACK[logger.level] ?? LogLevel.INFO;
  // Bolt and the Web API client log every request at debug: only format what will be written.
  const at = (lvl: 'debug' | 'info' | 'warn' | 'error') => (...msg: unknown[]) => {
    if (child.isLevelEnabled(lvl)) child[lvl](msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' '));
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
