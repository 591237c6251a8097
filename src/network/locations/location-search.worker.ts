import { parentPort, workerData } from 'node:worker_threads';
import { serveSearches } from './location-search-channel.js';
import { CatalogSearch, type SearchParts } from './location-search.js';

/**
 * Answers location searches over the shared search arrays (no copy, and no location objects: this
 * thread's heap stays small), so the event loop only sends the query and renders the answer.
 */
serveSearches(parentPort!, new CatalogSearch(workerData as SearchParts));
