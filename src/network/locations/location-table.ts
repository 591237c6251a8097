import type { Location, LocationType } from './location-data.js';

const TYPES: readonly LocationType[] = ['country', 'region', 'city'];
export const TYPE_RANK: Readonly<Record<LocationType, number>> = { country: 0, region: 1, city: 2 };
const ID_LENGTH = 36;

/** The columns of a location table: structured-cloneable, and a handful of values however many locations there are. */
export interface LocationTableParts {
  /** Every id, 36 characters each, in location order. */
  ids: string;
  /** Every name, back to back; name i is `names.slice(nameStart[i], nameStart[i + 1])`. */
  names: string;
  nameStart: Int32Array;
  /** Lower-case country codes, two characters per location. */
  codes: string;
  /** TYPE_RANK of each location's type. */
  type: Uint8Array;
  /** Position of the location's region and country (a region's region and a country's country is itself; -1 for none). */
  region: Int32Array;
  country: Int32Array;
  /** Open addressing by id: position + 1, 0 for an empty slot (a power of two, at least twice the count). */
  slots: Int32Array;
}

/** The first 32 bits of an id's hex (ids are hash-derived, so they spread evenly); garbage in, some number out. */
function idHash(id: string): number {
  let h = 0;
  for (let k = 0; k < 8; k++) h = (h << 4) | (parseInt(id[k] ?? '0', 16) & 15);
  return h >>> 0;
}

/**
 * Every country, region and city as columns instead of objects. The data set has 150k locations,
 * which as objects cost ~1M heap strings that every major garbage collection walks (pauses of tens
 * of milliseconds on the event loop); as columns they are a few long strings and typed arrays.
 * A `Location` object is made only for the locations an answer holds.
 */
export class LocationTable {
  readonly size: number;

  private constructor(private readonly p: LocationTableParts) {
    this.size = p.type.length;
  }

  static fromParts(parts: LocationTableParts): LocationTable {
    return new LocationTable(parts);
  }

  static build(locations: readonly Location[]): LocationTable {
    const n = locations.length;
    const position = new Map<string, number>();
    locations.forEach((l, i) => position.set(l.id, i));
    const at = (id: string | undefined): number => (id === undefined ? -1 : (position.get(id) ?? -1));
    const nameStart = new Int32Array(n + 1);
    let length = 0;
    locations.forEach((l, i) => {
      nameStart[i] = length;
      length += l.name.length;
    });
    nameStart[n] = length;
    let slotCount = 1;
    while (slotCount < 2 * n) slotCount *= 2;
    const slots = new Int32Array(slotCount);
    locations.forEach((l, i) => {
      if (l.id.length !== ID_LENGTH) throw new Error(`location id ${l.id} is not a UUID`);
      let s = idHash(l.id) & (slotCount - 1);
      while (slots[s] !== 0) s = (s + 1) & (slotCount - 1);
      slots[s] = i + 1;
    });
    return new LocationTable({
      ids: locations.map((l) => l.id).join(''),
      names: locations.map((l) => l.name).join(''),
      nameStart,
      codes: locations.map((l) => l.countryCode.padEnd(2).slice(0, 2)).join(''),
      type: Uint8Array.from(locations, (l) => TYPE_RANK[l.type]),
      region: Int32Array.from(locations, (l) => at(l.regionId)),
      country: Int32Array.from(locations, (l) => at(l.countryId)),
      slots,
    });
  }

  parts(): LocationTableParts {
    return this.p;
  }

  /** The position of the location with this id, or -1. */
  indexOf(id: string): number {
    if (id.length !== ID_LENGTH) return -1;
    const { slots, ids } = this.p;
    const mask = slots.length - 1;
    for (let s = idHash(id) & mask; slots[s] !== 0; s = (s + 1) & mask) {
      const i = slots[s]! - 1;
      if (ids.startsWith(id, i * ID_LENGTH)) return i;
    }
    return -1;
  }

  id(i: number): string {
    return this.p.ids.slice(i * ID_LENGTH, (i + 1) * ID_LENGTH);
  }

  name(i: number): string {
    return this.p.names.slice(this.p.nameStart[i], this.p.nameStart[i + 1]);
  }

  type(i: number): LocationType {
    return TYPES[this.p.type[i]!]!;
  }

  /** The location at position `i` as an object (a new one on each call). */
  at(i: number): Location {
    const { codes, region, country } = this.p;
    const type = this.type(i);
    const c = country[i]!;
    const r = region[i]!;
    const loc: Location = { id: this.id(i), type, name: this.name(i), countryCode: codes.slice(2 * i, 2 * i + 2).trimEnd(), countryId: c >= 0 ? this.id(c) : '', countryName: c >= 0 ? this.name(c) : '' };
    if (r >= 0) {
      loc.regionId = this.id(r);
      loc.regionName = this.name(r);
    }
    if (type === 'city') loc.cityId = loc.id;
    return loc;
  }
}
