/** How long a client is asked to wait before retrying after the database connection was lost. */
export const RETRY_AFTER_SECONDS = 1;

/** SQLSTATEs of a lost or refused connection: class 08, and the server shutting sessions down. */
const CONNECTION_STATES = /^(08...|57P01|57P02|57P03)$/;
const CONNECTION_ERRNOS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const CONNECTION_MESSAGES = /Connection terminated|terminating connection|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|the database system is (shutting down|starting up)/i;

/**
 * Whether an error means the database connection was lost (a terminated backend, a restart, a
 * pool that cannot connect) rather than anything the request did: the answer is then 503 with
 * Retry-After, and the pool replaces the broken connection by itself.
 */
export function isConnectionLoss(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  // The driver's error may be wrapped (TypeORM's QueryFailedError.driverError, Error.cause).
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as { name?: unknown; code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    // TypeORM releases a transaction's runner when its connection dies; later queries of it fail so.
    if (e.name === 'QueryRunnerAlreadyReleasedError' || e.name === 'QueryRunnerProviderAlreadyReleasedError') return true;
    if (typeof e.code === 'string' && (CONNECTION_STATES.test(e.code) || CONNECTION_ERRNOS.has(e.code))) return true;
    if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
    current = e.driverError ?? e.cause;
  }
  return false;
}
