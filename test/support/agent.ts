export interface Res<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Record<string, string>;
}

export interface SendOptions {
  body?: unknown;
  form?: Record<string, string>;
  query?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  /** Skip the X-CSRF-Token header this agent would otherwise send on writes. */
  noCsrf?: boolean;
}

/**
 * An HTTP client for one simulated browser: keeps cookies, sends the CSRF token it was given at
 * login on writes, and comes from a fixed client IP (via X-Forwarded-For from a trusted proxy).
 * Requests go over real HTTP to the listening application.
 */
export class Agent {
  readonly cookies = new Map<string, string>();
  csrfToken?: string;

  /** Raw Set-Cookie lines received, newest last (for asserting cookie attributes). */
  readonly setCookies: string[] = [];

  constructor(
    private readonly baseUrl: string,
    public ip: string,
    public userAgent: string,
  ) {}

  async send<T = any>(method: string, url: string, opts: SendOptions = {}): Promise<Res<T>> {
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      'x-forwarded-for': this.ip,
      ...opts.headers,
    };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.csrfToken && !opts.noCsrf && method !== 'GET' && !('x-csrf-token' in headers)) headers['x-csrf-token'] = this.csrfToken;
    let payload: string | undefined;
    if (opts.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(opts.form).toString();
    } else if (opts.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    }
    const target = new URL(url, this.baseUrl);
    for (const [k, v] of Object.entries(opts.query ?? {})) target.searchParams.set(k, String(v));
    const res = await fetch(target, { method, headers, body: payload, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((p) => p.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = decodeURIComponent(pair!.slice(eq + 1));
      const maxAge = attrs.find((a) => /^max-age=/i.test(a));
      const expires = attrs.find((a) => /^expires=/i.test(a));
      const expired =
        value === '' ||
        (maxAge !== undefined && Number(maxAge.split('=')[1]) <= 0) ||
        (expires !== undefined && Date.parse(expires.slice(8)) < Date.now());
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
      this.setCookies.push(line);
    }
    const text = await res.text();
    const resHeaders: Record<string, string> = {};
    res.headers.forEach((v, k) => (resHeaders[k] = v));
    let body: any = text;
    if (String(resHeaders['content-type'] ?? '').includes('json') && text) body = JSON.parse(text);
    if (body && typeof body === 'object' && typeof body.csrf_token === 'string') this.csrfToken = body.csrf_token;
    return { status: res.status, body, text, headers: resHeaders };
  }

  get<T = any>(url: string, opts?: SendOptions): Promise<Res<T>> {
    return this.send('GET', url, opts);
  }
  post<T = any>(url: string, body?: unknown, opts: SendOptions = {}): Promise<Res<T>> {
    return this.send('POST', url, { ...opts, body: body ?? opts.body });
  }
  put<T = any>(url: string, body?: unknown, opts: SendOptions = {}): Promise<Res<T>> {
    return this.send('PUT', url, { ...opts, body: body ?? opts.body });
  }
  patch<T = any>(url: string, body?: unknown, opts: SendOptions = {}): Promise<Res<T>> {
    return this.send('PATCH', url, { ...opts, body: body ?? opts.body });
  }
  delete<T = any>(url: string, body?: unknown, opts: SendOptions = {}): Promise<Res<T>> {
    return this.send('DELETE', url, { ...opts, body: body ?? opts.body });
  }
}
