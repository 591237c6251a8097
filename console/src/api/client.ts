import { SESSION_ENDED, sentenceFor } from './errors';

export const BARONG = '/api/v2/barong';

/** An API failure, carried to the page with a sentence for the reader. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly codes: string[],
  ) {
    super(sentenceFor(codes[0], status));
    this.name = 'ApiError';
  }
  get code(): string | undefined {
    return this.codes[0];
  }
  get sessionEnded(): boolean {
    return this.status === 401 && this.codes.some((c) => SESSION_ENDED.has(c));
  }
}

export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  perPage: number;
}

type Query = Record<string, string | number | boolean | undefined | null>;

let csrfToken: string | undefined;
let onSessionEnded: (() => void) | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called once when any request finds the session gone (idle expiry, sign-out elsewhere). */
export function whenSessionEnds(handler: () => void): void {
  onSessionEnded = handler;
}

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(method: string, path: string, body?: unknown, query?: Query): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, []);
  }
  if (!res.ok) {
    let codes: string[] = [];
    try {
      const parsed = (await res.json()) as { errors?: unknown; error?: unknown };
      if (Array.isArray(parsed.errors)) codes = parsed.errors.map(String);
      else if (typeof parsed.error === 'string') codes = [parsed.error];
    } catch {
      // not JSON: the status alone speaks
    }
    const error = new ApiError(res.status, codes);
    if (error.sessionEnded) onSessionEnded?.();
    throw error;
  }
  return res;
}

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  async get<T>(path: string, query?: Query): Promise<T> {
    return json<T>(await send('GET', path, undefined, query));
  },
  /** A paginated list: the body is the page, the headers tell the total. */
  async page<T>(path: string, query: Query = {}): Promise<PageOf<T>> {
    const res = await send('GET', path, undefined, query);
    const items = (await json<T[]>(res)) ?? [];
    const num = (name: string, fallback: number): number => {
      const n = Number(res.headers.get(name));
      return Number.isFinite(n) && res.headers.get(name) !== null ? n : fallback;
    };
    return { items, total: num('total', items.length), page: num('page', Number(query.page ?? 1)), perPage: num('per-page', Number(query.limit ?? items.length)) };
  },
  async post<T>(path: string, body: unknown = {}): Promise<T> {
    return json<T>(await send('POST', path, body));
  },
  async put<T>(path: string, body: unknown): Promise<T> {
    return json<T>(await send('PUT', path, body));
  },
  async del<T>(path: string, body: unknown): Promise<T> {
    return json<T>(await send('DELETE', path, body));
  },
};

export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return 'Something went wrong in the console. Reload the page and try again.';
}
