/** Where Prometheus is and how to prove who we are; only one way of proving it at a time. */
export interface PrometheusConnection {
  /** http(s)://host:port[/prefix]; may carry user:password@ for basic auth. */
  readonly url: string;
  readonly bearerToken?: string;
  readonly username?: string;
  readonly password?: string;
}

/**
 * The base URL without credentials, and the basic-auth pair from either the
 * options or the URL: fetch refuses a URL with credentials in it, and a header
 * keeps them out of every address the bot logs or shows.
 */
export function prometheusEndpoint(url: string, options: PrometheusConnection): { base: URL; username?: string; password?: string } {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new TypeError('the Prometheus URL is not a URL: write it as http://host:9090 or https://host/prefix');
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new TypeError(`the Prometheus URL must start with http:// or https://, not ${base.protocol}//`);
  }
  let username = options.username;
  let password = options.password;
  if (base.username || base.password) {
    if (username !== undefined || password !== undefined) {
      throw new TypeError('the Prometheus credentials are given twice (in the URL and as a username/password): give them once');
    }
    username = decodeURIComponent(base.username);
    password = decodeURIComponent(base.password);
    base.username = '';
    base.password = '';
  }
  base.hash = '';
  if (password !== undefined && password !== '' && !username) throw new TypeError('a Prometheus password needs a username too');
  if (options.bearerToken && (username || password)) {
    throw new TypeError('give Prometheus either a bearer token or a username and password, not both');
  }
  return { base, ...(username ? { username, password: password ?? '' } : {}) };
}

export function authorizationHeader(auth: { bearerToken?: string; username?: string; password?: string }): string | undefined {
  if (auth.bearerToken) return `Bearer ${auth.bearerToken}`;
  if (auth.username) return `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`, 'utf8').toString('base64')}`;
  return undefined;
}
