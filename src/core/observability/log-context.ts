import { AsyncLocalStorage } from 'node:async_hooks';

/** The request being served, for log lines written anywhere below it. */
export const logContext = new AsyncLocalStorage<{ requestId: string }>();
