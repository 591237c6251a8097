import { parentPort } from 'node:worker_threads';
import { LocationCatalog } from './location-search.js';

/** Builds the location catalog off the main thread and hands its parts back (index arrays transferred). */
const parts = new LocationCatalog().parts();
parentPort!.postMessage(parts, [parts.small.chars.buffer, parts.small.offsets.buffer, parts.small.items.buffer, parts.cities.chars.buffer, parts.cities.offsets.buffer, parts.cities.items.buffer] as ArrayBuffer[]);
