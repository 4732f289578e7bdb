import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HealthState {
  databaseReady: boolean;
  slackReady: boolean;
  readonly startedAt: Date;
}

/**
 * The liveness check: 200 once the database is migrated and Slack accepted the
 * token; 503 before. Whether the bot can do its job now is /readyz's (readiness.ts).
 */
export function healthHandler(state: HealthState) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    const ok = state.databaseReady && state.slackReady;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        status: ok ? 'ok' : 'starting',
        database: state.databaseReady ? 'ok' : 'pending',
        slack: state.slackReady ? 'ok' : 'pending',
        uptimeSeconds: Math.round((Date.now() - state.startedAt.getTime()) / 1000),
      }),
    );
  };
}
