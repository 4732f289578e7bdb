import { Agent } from 'node:https';
import { api } from '@pagerduty/pdjs';
// pdjs's own request (its 429 retries, headers, User-Agent), the one its event() wraps: event()
// reads the body with response.json(), so a proxy's HTML 403 or 413, or a load balancer's 502
// page, rejected with a JSON parse error that held no status, and was retried for an hour as
// "did not answer" while the page reached nobody. Pinned at 2.2.4 in package.json; no exports map.
import { request } from '@pagerduty/pdjs/build/src/common.js';
import type { Config } from '../config.js';
import { meterPagerDutyEvent } from '../metrics/pagerduty.js';
import { readEventBody } from './event-body.js';

export interface PagerDutyEvent {
  readonly routing_key: string;
  readonly event_action: 'trigger' | 'resolve';
  readonly dedup_key: string;
  readonly payload?: {
    readonly summary: string;
    readonly source: string;
    readonly severity: 'critical' | 'error' | 'warning' | 'info';
    readonly component?: string;
    readonly custom_details?: Record<string, unknown>;
  };
  readonly links?: readonly { href: string; text: string }[];
}

/** What PagerDuty answered: its status and body (202 accepted, 400 invalid, 429, 5xx). */
export interface PagerDutyAnswer {
  readonly status: number;
  readonly body: { status?: string; message?: string; errors?: string[] } | undefined;
  /** The start of a body that is not PagerDuty's JSON (a proxy's or load balancer's page), as plain text. */
  readonly excerpt?: string;
}

export interface OnCallPerson {
  readonly name: string;
  readonly email: string | null;
}

export interface PagerDutyClientOptions {
  /** How long pdjs waits before each of its own retries on 429 (it always makes 3). */
  readonly retryTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

/**
 * The two things the bot asks of PagerDuty, through @pagerduty/pdjs: send an
 * Events API v2 event, and read who is on call. pdjs resolves (never throws)
 * on an HTTP error, so the answer's status is returned for the caller to judge.
 */
export class PagerDutyClient {
  private readonly agent = new Agent({ keepAlive: true });
  constructor(
    private readonly config: Config['pagerduty'],
    private readonly options: PagerDutyClientOptions = {},
  ) {}

  private timeoutMs(): number {
    return this.options.requestTimeoutMs ?? 10_000;
  }

  routingKey(service: string): string | undefined {
    return Object.hasOwn(this.config.services, service) ? this.config.services[service] : undefined; // no prototype key is a routing key
  }

  async send(data: PagerDutyEvent): Promise<PagerDutyAnswer> {
    return meterPagerDutyEvent(data.event_action, async () => {
      const response = await request(`https://${this.config.eventsHost}/v2/enqueue`, {
        method: 'POST',
        body: JSON.stringify(data),
        agent: this.agent,
        retryTimeout: this.options.retryTimeoutMs ?? 2_000,
        // pdjs's own requestTimeout starts a timer that aborts nothing: a silent PagerDuty would hang us.
        // The signal also bounds the reading of the body below.
        signal: AbortSignal.timeout(this.timeoutMs()),
      } as never);
      return { status: response.status, ...readEventBody(await response.text()) };
    });
  }

  get onCallConfigured(): boolean {
    return Boolean(this.config.apiToken && this.config.escalationPolicyId);
  }

  /**
   * Who is on call at level 1 of the escalation policy now: everyone, in
   * PagerDuty's order, once each. A level can target several schedules and
   * users, each an entry of its own; a person on call through two of them is
   * named once.
   */
  async onCallNow(): Promise<OnCallPerson[]> {
    if (!this.config.apiToken || !this.config.escalationPolicyId) return [];
    const response = await api({
      token: this.config.apiToken,
      server: this.config.apiHost,
      endpoint: '/oncalls',
      data: { 'escalation_policy_ids[]': [this.config.escalationPolicyId], 'include[]': ['users'], earliest: 'true' },
      agent: this.agent,
      signal: AbortSignal.timeout(this.timeoutMs()),
    } as never).catch((error: unknown) => {
      // pdjs rejects with the Response itself when the body is not JSON (a proxy's page): logged
      // as it was, the warning and /incident oncall's error said nothing of what answered.
      if (error instanceof Error || typeof (error as { status?: unknown })?.status !== 'number') throw error;
      throw new Error(`PagerDuty answered ${(error as { status: number }).status} to GET /oncalls with a body that is not JSON (a proxy's page?)`);
    });
    if (response.status !== 200) throw new Error(`PagerDuty answered ${response.status} to GET /oncalls`);
    const oncalls = ((response.data as { oncalls?: unknown[] })?.oncalls ?? []) as {
      escalation_level?: number;
      user?: { id?: string; summary?: string; name?: string; email?: string };
    }[];
    const people = new Map<string, OnCallPerson>();
    for (const { escalation_level: level, user } of oncalls) {
      if (level !== 1 || !user) continue;
      const person = { name: user.name ?? user.summary ?? 'someone', email: user.email ?? null };
      const key = user.id ?? person.email ?? person.name;
      if (!people.has(key)) people.set(key, person);
    }
    return [...people.values()];
  }
}
