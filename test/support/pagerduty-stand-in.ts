/**
 * A local stand-in for PagerDuty over HTTPS (pdjs speaks nothing else):
 * Events API v2 `POST /v2/enqueue` and REST `GET /oncalls`. It can answer
 * 202, 400, 429 and 500, or go silent, and it checks every request against
 * PagerDuty's published OpenAPI files. With `page` set, events (and, with
 * `restPage`, REST calls) are answered by what sits in front of PagerDuty in
 * some networks: a proxy's HTML 403 or 413, a load balancer's 502 page, not PagerDuty's JSON.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventProblems, restRequestProblems } from './pagerduty-specs.js';

export type PagerDutyMode = 'ok' | 'invalid' | 'ratelimited' | 'error' | 'silent';

export interface ReceivedEvent {
  readonly body: Record<string, unknown> & { event_action?: string; dedup_key?: string; routing_key?: string };
  readonly status: number;
  readonly problems: string[];
}

/** An answer that is not PagerDuty's JSON, as a proxy or a load balancer writes one. */
export interface PageAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

/**
 * One entry of GET /oncalls: a person on call at a level, through a schedule
 * (its name) or as a user the level targets directly (no schedule). A level
 * with several targets has an entry for each.
 */
export interface OnCallEntry {
  readonly level: number;
  readonly name: string;
  readonly email: string;
  readonly schedule?: string;
}

export class PagerDutyStandIn {
  mode: PagerDutyMode = 'ok';
  /** When set, every event is answered with this page (and recorded with its status), whatever the mode. */
  page: PageAnswer | undefined;
  /** When set, every REST call is answered with this page (and recorded), whatever the mode. */
  restPage: PageAnswer | undefined;
  readonly events: ReceivedEvent[] = [];
  readonly restRequests: { method: string; path: string; query: URLSearchParams; problems: string[]; auth: string }[] = [];
  onCall: OnCallEntry[] = [{ level: 1, name: 'Dan Oncall', email: 'dan@example.com' }, { level: 2, name: 'Erin Backup', email: 'erin@example.com' }];
  private server: Server | undefined;
  private hanging = new Set<ServerResponse>();
  private holding: Promise<void> | undefined;
  /** Events waiting on a hold now, each with the port it came from (which process sent it). */
  readonly held: { readonly body: string; readonly remotePort: number }[] = [];
  host = '';

  async start(): Promise<string> {
    const cert = process.env.PAGERDUTY_TEST_CERT;
    const key = process.env.PAGERDUTY_TEST_KEY;
    if (!cert || !key) throw new Error('no test certificate: run through vitest (test/support/global-setup.ts)');
    this.server = createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.host = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.host;
  }

  get url(): string {
    return `https://${this.host}`;
  }

  /** Triggers PagerDuty accepted (202), per dedup key. */
  acceptedTriggers(dedupKey?: string): ReceivedEvent[] {
    return this.events.filter((e) => e.status === 202 && e.body.event_action === 'trigger' && (!dedupKey || e.body.dedup_key === dedupKey));
  }

  /**
   * Holds every event until the returned release is called. Released, each
   * is then recorded and answered as usual, even one whose sender has gone:
   * PagerDuty acts on an event it has read.
   */
  hold(): () => void {
    let release!: () => void;
    this.holding = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.holding = undefined;
      release();
    };
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'https://stand-in');
    if (this.mode === 'silent') {
      this.hanging.add(res);
      return; // never answers
    }
    if (req.method === 'POST' && url.pathname === '/v2/enqueue') {
      if (this.holding) {
        const held = { body: raw, remotePort: req.socket.remotePort ?? 0 };
        this.held.push(held);
        await this.holding;
        this.held.splice(this.held.indexOf(held), 1);
      }
      return this.enqueue(raw, res);
    }
    if (req.method === 'GET') return this.restGet(url, req, res);
    json(res, 404, { error: { message: 'Not Found', code: 2100 } });
  }

  private enqueue(raw: string, res: ServerResponse): void {
    if (this.page) {
      let body: ReceivedEvent['body'] = {};
      try {
        body = JSON.parse(raw);
      } catch {
        // What the proxy does with a body it does not read is no matter here.
      }
      this.events.push({ body, status: this.page.status, problems: [] });
      res.writeHead(this.page.status, { 'content-type': this.page.contentType ?? 'text/html' });
      res.end(this.page.body);
      return;
    }
    let body: ReceivedEvent['body'];
    try {
      body = JSON.parse(raw);
    } catch {
      this.events.push({ body: {}, status: 400, problems: ['not JSON'] });
      return json(res, 400, { status: 'invalid event', message: 'Event object is invalid', errors: ['Malformed JSON'] });
    }
    const problems = eventProblems(body);
    let status = 202;
    if (this.mode === 'invalid' || problems.length > 0) status = 400;
    else if (this.mode === 'ratelimited') status = 429;
    else if (this.mode === 'error') status = 500;
    this.events.push({ body, status, problems });
    if (status === 202) return json(res, 202, { status: 'success', message: 'Event processed', dedup_key: body.dedup_key ?? 'generated' });
    if (status === 400) {
      return json(res, 400, { status: 'invalid event', message: 'Event object is invalid', errors: problems.length ? problems : ["'payload.summary' is missing or blank"] });
    }
    if (status === 429) return json(res, 429, { status: 'throttle event', message: 'Requests for this service are arriving too quickly.  Please retry later.' });
    return json(res, 500, { status: 'error', message: 'Internal Server Error' });
  }

  private restGet(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const problems = restRequestProblems('GET', url.pathname, url.searchParams);
    const auth = String(req.headers.authorization ?? '');
    if (!/^Token token=.+/.test(auth)) problems.push('missing Authorization: Token token=…');
    if (!String(req.headers.accept ?? '').startsWith('application/vnd.pagerduty+json;version=2')) problems.push('missing Accept: application/vnd.pagerduty+json;version=2');
    this.restRequests.push({ method: 'GET', path: url.pathname, query: url.searchParams, problems, auth });
    if (this.restPage) {
      res.writeHead(this.restPage.status, { 'content-type': this.restPage.contentType ?? 'text/html' });
      res.end(this.restPage.body);
      return;
    }
    if (this.mode === 'error') return json(res, 500, { error: { message: 'Internal Server Error' } });
    if (url.pathname === '/oncalls') {
      const withUsers = url.searchParams.getAll('include[]').includes('users');
      // One PagerDuty user per e-mail, so a person on call through two targets keeps one id.
      const userId = (email: string) => `PUSER${this.onCall.findIndex((o) => o.email === email)}`;
      // earliest=true: "only the earliest on-call for each combination of escalation policy,
      // escalation level, and user is returned" (GET /oncalls); the entries are listed earliest first.
      const entries = url.searchParams.get('earliest') === 'true' ? this.onCall.filter((o, i) => this.onCall.findIndex((p) => p.level === o.level && p.email === o.email) === i) : this.onCall;
      const schedules = [...new Set(this.onCall.map((o) => o.schedule))];
      const oncalls = entries.map((o) => ({
        escalation_level: o.level,
        escalation_policy: { id: url.searchParams.get('escalation_policy_ids[]') ?? 'P0POLICY', type: 'escalation_policy_reference', summary: 'Checkout' },
        schedule: o.schedule ? { id: `PSCHED${schedules.indexOf(o.schedule)}`, type: 'schedule_reference', summary: o.schedule } : null,
        start: o.schedule ? '2026-11-22T08:00:00Z' : null,
        end: o.schedule ? '2026-11-29T08:00:00Z' : null,
        user: withUsers
          ? { id: userId(o.email), type: 'user', summary: o.name, name: o.name, email: o.email }
          : { id: userId(o.email), type: 'user_reference', summary: o.name },
      }));
      return json(res, 200, { oncalls, limit: 25, offset: 0, more: false, total: null });
    }
    json(res, 404, { error: { message: 'Not Found', code: 2100 } });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
