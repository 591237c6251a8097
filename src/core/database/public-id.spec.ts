import { randomUUID } from 'node:crypto';
import { fromPublicId, toPublicId } from './public-id.js';

/** The definition: the UUID's 128 bits as a 22-digit base62 number. */
function reference(prefix: string, uuid: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let n = BigInt('0x' + uuid.replace(/-/g, ''));
  let out = '';
  while (n > 0n) {
    out = alphabet[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return `${prefix}_${out.padStart(22, '0')}`;
}

describe('public ids', () => {
  it('writes the base62 number of the UUID and reads it back', () => {
    const uuids = ['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '00000000-0000-0000-0000-00000000003e', ...Array.from({ length: 500 }, () => randomUUID())];
    for (const uuid of uuids) {
      const id = toPublicId('sess', uuid);
      expect(id).toBe(reference('sess', uuid));
      expect(fromPublicId('sess', id)).toBe(uuid);
    }
    expect(toPublicId('user', '00000000-0000-0000-0000-00000000003e')).toBe('user_0000000000000000000010');
  });

  it('sorts as the UUIDs do', () => {
    const uuids = Array.from({ length: 200 }, () => randomUUID()).sort();
    const ids = uuids.map((u) => toPublicId('user', u));
    expect([...ids].sort()).toEqual(ids);
  });
});
