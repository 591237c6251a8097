/**
 * Prefixed public ids (`user_…`, `sess_…`, `app_…`) derived from UUIDv7 primary keys: the UUID's
 * 128 bits in fixed-width base62, whose alphabet is in ASCII order, so public ids sort exactly as
 * the UUIDs do, that is by creation time. The only place ids are mapped in either direction.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const WIDTH = 22;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BODY = /^[0-9A-Za-z]{22}$/;
const MAX = 1n << 128n;

export function toPublicId(prefix: string, uuid: string): string {
  // The 128 bits as four 32-bit limbs, divided by 62 in plain numbers (BigInt arithmetic cost
  // microseconds per id, and ids are written into every answer).
  const hex = uuid.replace(/-/g, '');
  const limbs = [0, 1, 2, 3].map((i) => parseInt(hex.slice(i * 8, i * 8 + 8), 16));
  const digits = new Array<string>(WIDTH);
  for (let d = WIDTH - 1; d >= 0; d--) {
    let rem = 0;
    for (let i = 0; i < 4; i++) {
      const value = rem * 0x1_0000_0000 + limbs[i]!;
      limbs[i] = Math.floor(value / 62);
      rem = value - limbs[i]! * 62;
    }
    digits[d] = ALPHABET[rem]!;
  }
  return `${prefix}_${digits.join('')}`;
}

/** The UUID behind a public id of the given prefix; undefined for anything malformed. */
export function fromPublicId(prefix: string, id: unknown): string | undefined {
  if (typeof id !== 'string' || !id.startsWith(prefix + '_')) return undefined;
  const body = id.slice(prefix.length + 1);
  if (!BODY.test(body)) return undefined;
  let n = 0n;
  for (const ch of body) n = n * 62n + BigInt(ALPHABET.indexOf(ch));
  if (n >= MAX) return undefined;
  const hex = n.toString(16).padStart(32, '0');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return UUID.test(uuid) ? uuid : undefined;
}
