import { parentPort } from 'node:worker_threads';
import { serveSearches } from './location-search-channel.js';
import { LocationCatalog } from './location-search.js';

/**
 * Builds the location catalog off the main thread, hands its parts back (the index arrays in
 * shared memory) and then answers searches over it, so neither the build nor the searches stall
 * the event loop.
 */
const parts = new LocationCatalog().sharedParts();
const catalog = LocationCatalog.fromParts(parts);
parentPort!.postMessage(parts);
serveSearches(parentPort!, catalog);
