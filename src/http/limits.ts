/**
 * How much the endpoints may cost strangers. Anyone who can reach the port can
 * send a body, unsigned: these limits are applied before any signature is
 * checked. One request costs at most its route's limit; all of them together
 * at most UNBUDGETED_BODY_BYTES each plus the shared body budget while they
 * are read, and what they leave behind is collected every
 * COLLECT_EVERY_BYTES rather than when V8 gets round to it.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

/** The largest body each route accepts; a bigger one gets 413. */
export const BODY_LIMITS = {
  /**
   * Slack's commands, events and interactivity payloads are a few KiB; the
   * largest (a view_submission of a 100-block modal, or a message event with
   * many blocks) stay well under 1 MiB.
   */
  slackEvents: 1 * MiB,
  /** A PagerDuty v3 webhook carries one event of a few KiB. */
  pagerDutyWebhook: 256 * KiB,
  /** An Alertmanager notification groups many alerts with their labels and annotations. */
  alertmanagerWebhook: 5 * MiB,
  /** GET endpoints take no body. */
  none: 0,
} as const;

/**
 * The first bytes of every body are read without asking the shared budget:
 * every ordinary command, event, button or webhook fits, so a flood of large
 * bodies never holds back a small request. (Slack's own block_actions
 * example, specs/slack/payloads, is 39 KB form-encoded with every string
 * empty.) A smaller allowance, or budget, would not make a flood cheaper: 16
 * KiB, or a budget of one limit, left the chunked flood of body-flood.test.ts
 * at 21 MiB, as its bodies are read one after another; what cost memory was
 * what they left behind (COLLECT_EVERY_BYTES).
 */
export const UNBUDGETED_BODY_BYTES = 64 * KiB;

/**
 * How much garbage reading bodies may leave before a young collection is
 * asked for (garbage-pacer.ts). Every chunk read is garbage once copied or
 * refused; V8 on its own waits for 64 MiB of it. One MiB, the largest
 * Slack body, costs one collection of a millisecond or two.
 */
export const COLLECT_EVERY_BYTES = 1 * MiB;

/** The reusable slabs a slow body is moved into (body-slabs.ts): its first is 1 KiB, each next one twice as large, up to 16 KiB. */
export const SLAB_BYTES = { smallest: 1 * KiB, largest: 16 * KiB } as const;

/**
 * How many free allowances the idle slabs kept after a flood cover, beside
 * the shared budget: twenty strangers stopped at theirs fit, so that the
 * next wave reuses their slabs rather than leaving them to V8.
 */
export const SLABS_KEPT_FOR_BODIES = 32;

/**
 * What may be held at once, across all requests, of the bytes of bodies
 * beyond their first UNBUDGETED_BODY_BYTES, while they are read: twice the
 * largest route's limit (the server's default), so two of the largest bodies
 * fit at once. A body that finds the budget spent gets 503 (Slack, PagerDuty
 * and Alertmanager all retry a 5xx).
 */
export function defaultBodyBudget(largestLimit: number): number {
  return 2 * largestLimit;
}

/**
 * How long a client may take. Node's defaults (60 s for headers, 5 min for a
 * request) let a slow client hold a connection, and its buffers, for minutes.
 */
export const HTTP_TIMEOUTS = {
  /** From the first byte of a request to the end of its headers (408 after). */
  headersTimeoutMs: 10_000,
  /** From the first byte of a request to the end of its body (408 after). Slack gives up after 3 s anyway. */
  requestTimeoutMs: 30_000,
  /**
   * How long an idle keep-alive connection stays open. Longer than the idle
   * timeout of the usual load balancers (60 s), so the balancer, not the bot,
   * closes first and never sends a request into a connection being closed.
   */
  keepAliveTimeoutMs: 65_000,
  /** How often Node looks for requests over those timeouts (its default, 30 s, would let them run 30 s late). */
  checkEveryMs: 1_000,
} as const;

export type HttpTimeouts = { readonly [K in keyof typeof HTTP_TIMEOUTS]: number };

/** How long a connection refused mid-body stays half-open, unread, so that the client can read the refusal. */
export const LINGER_MS = 2_000;

/** How long a stop waits for requests in flight (and their listeners) before cutting them. */
export const STOP_GRACE_MS = 10_000;

/**
 * Socket Mode: how long a stop keeps the socket open for the acknowledgements
 * of envelopes already in hand. Slack waits 3 s for one; past that the
 * sender has seen it fail, so the socket need not wait longer.
 */
export const SOCKET_ACK_GRACE_MS = 3_000;
