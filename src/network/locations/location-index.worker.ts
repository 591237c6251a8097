import { parentPort } from 'node:worker_threads';
import { LocationCatalog } from './location-search.js';

/** Builds the location catalog off the main thread and hands its parts back (the search arrays in shared memory). */
parentPort!.postMessage(LocationCatalog.build().sharedParts());
