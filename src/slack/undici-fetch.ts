import type { FetchFunction } from '@slack/web-api';
import { Agent, request, type Dispatcher } from 'undici';

/** What the client reads of an answer (the package exports the function's type, not this one). */
type FetchResponse = Awaited<ReturnType<FetchFunction>>;

/**
 * The `fetch` the Web API client is given (its `fetch` option, which replaced
 * `agent` in @slack/web-api 8): undici's `request` on one pool of kept-alive
 * connections. A set-up makes about eight calls in a row, and on Node 20 the
 * client's default, the global `fetch`, costs two to three times the CPU
 * per call (WHATWG request and response objects and web streams around the
 * same undici core; BENCHMARKS.md, "CPU of one Web API call").
 *
 * Everything the client asks of a fetch is kept: its method, headers and
 * URL-encoded body, its AbortSignal (the client's `timeout`), and no
 * redirect followed (`request` follows none). Each answer is read
 * whole before it is handed over: Slack's answers are small, the timeout
 * then covers the body too, and a body the client leaves unread (an upload
 * it refuses on its status) cannot hold a pooled connection.
 */
export function undiciFetch(dispatcher: Dispatcher = new Agent()): FetchFunction {
  return async (url, init = {}) => {
    // A file upload's FormData is the global one (Node's bundled undici), which
    // this undici cannot encode ("action is not a function"): the global fetch
    // that made it sends it, as the client would by default. Uploads are rare.
    if (init.body !== undefined && typeof init.body !== 'string') return globalThis.fetch(url, init);
    const res = await request(url, {
      method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
      ...(init.headers ? { headers: init.headers } : {}),
      ...(init.body !== undefined ? { body: init.body } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
      dispatcher,
    });
    const bytes = await res.body.bytes();
    return answer(String(url), res.statusCode, res.statusText, res.headers, bytes);
  };
}

function answer(url: string, status: number, statusText: string, raw: Record<string, string | string[] | undefined>, bytes: Uint8Array): FetchResponse {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  }
  const text = () => new TextDecoder().decode(bytes);
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText,
    url,
    headers: { get: (name) => headers.get(name.toLowerCase()) ?? null, entries: () => headers.entries() },
    text: async () => text(),
    json: async () => JSON.parse(text()) as unknown,
    arrayBuffer: async () => bytes.slice().buffer,
  };
}
