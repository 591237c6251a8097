import type { CatalogSearch, SearchItems } from './location-search.js';

/** What both ends of a search channel need: a worker, its parent port, or a MessagePort. */
export interface SearchPort {
  postMessage(value: unknown): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
}

interface SearchRequest {
  id: number;
  query: string;
  maxDistance: number;
}

interface SearchReply {
  id: number;
  items?: SearchItems;
  error?: string;
}

/** The thread that holds the search arrays answers searches on `port`, one at a time, in the order asked. */
export function serveSearches(port: SearchPort, search: Pick<CatalogSearch, 'searchItems'>): void {
  port.on('message', (value) => {
    const { id, query, maxDistance } = value as SearchRequest;
    let reply: SearchReply;
    try {
      reply = { id, items: search.searchItems(query, maxDistance) };
    } catch (err) {
      reply = { id, error: (err as Error).message };
    }
    port.postMessage(reply);
  });
}

/**
 * Searches sent to the thread that holds the index, so their CPU time is spent off the event loop.
 * Results come back as numbers and are turned into the caller's own catalog objects.
 */
export class SearchClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (items: SearchItems) => void; reject: (err: Error) => void }>();
  private failure?: Error;

  constructor(private readonly port: SearchPort) {
    port.on('message', (value) => {
      const reply = value as SearchReply;
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.items) waiter.resolve(reply.items);
      else waiter.reject(new Error(reply.error ?? 'search failed'));
    });
  }

  /** False once the other end has gone; searches then belong to the caller's own thread. */
  get usable(): boolean {
    return !this.failure;
  }

  search(query: string, maxDistance: number): Promise<SearchItems> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.postMessage({ id, query, maxDistance } satisfies SearchRequest);
    });
  }

  /** The other end is gone: every waiting search fails, and so does every later one. */
  fail(err: Error): void {
    this.failure ??= err;
    for (const waiter of this.pending.values()) waiter.reject(err);
    this.pending.clear();
  }
}
