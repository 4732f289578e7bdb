import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { slackAckDuration, slackRequests } from '../../../src/metrics/registry.js';
import { noteListenerFailures, slackRequestKind, SlackRequestMeter } from '../../../src/metrics/slack-requests.js';

async function requests(kind: string, outcome: string): Promise<number> {
  return (await slackRequests.get()).values.find((v) => v.labels.kind === kind && v.labels.outcome === outcome)?.value ?? 0;
}
async function acks(kind: string): Promise<number> {
  return (await slackAckDuration.get()).values.find((v) => v.metricName?.endsWith('_count') && v.labels.kind === kind)?.value ?? 0;
}

/** A request through the failure middleware and the meter, its listener doing `listener`. */
async function handle(body: Record<string, unknown>, listener: () => Promise<void>): Promise<void> {
  const meter = new SlackRequestMeter(body, undefined);
  meter.acknowledged();
  const middleware = noteListenerFailures as unknown as Middleware<AnyMiddlewareArgs & { body: unknown }>;
  await middleware({ body, next: listener } as never).catch(() => undefined);
  meter.finished();
}

describe('Slack requests', () => {
  it.each([
    [{ command: '/incident', text: 'declare sev1 x' }, 'command'],
    [{ type: 'event_callback', event: { type: 'reaction_added' } }, 'event'],
    [{ type: 'block_actions', actions: [] }, 'action'],
    [{ type: 'view_submission', view: {} }, 'view'],
    [{ type: 'view_closed', view: {} }, 'view'],
    [{ type: 'shortcut', callback_id: 'x' }, 'shortcut'],
    [{ type: 'message_action', callback_id: 'x' }, 'shortcut'],
    [{ type: 'block_suggestion', value: 'chec' }, 'options'],
    [{ type: 'something_new' }, 'other'],
  ])('tells %j apart as %s', (body, kind) => {
    expect(slackRequestKind(body)).toBe(kind);
  });

  it('counts a refusal told to the person as ok, any other listener failure as an error, and times every acknowledgement', async () => {
    const [ok, error, acked] = [await requests('command', 'ok'), await requests('command', 'error'), await acks('command')];
    await handle({ command: '/incident' }, async () => undefined);
    await handle({ command: '/incident' }, async () => {
      throw new DomainError('NOT_IN_INCIDENT_CHANNEL', 'Run this in the incident channel.');
    });
    await handle({ command: '/incident' }, async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'id')");
    });
    expect(await requests('command', 'ok')).toBe(ok + 2);
    expect(await requests('command', 'error')).toBe(error + 1);
    expect(await acks('command')).toBe(acked + 3);
  });
});
