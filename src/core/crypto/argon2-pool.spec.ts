import { readdirSync, readFileSync } from 'node:fs';
import { verify } from '@node-rs/argon2';
import { Argon2Pool } from './argon2-pool.js';
import { ARGON2_PARAMS } from './password-hasher.js';

/** Nice values of this process's threads (Linux). */
function niceValues(): number[] {
  return readdirSync('/proc/self/task').map((t) => Number(readFileSync(`/proc/self/task/${t}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
}

describe('Argon2Pool', () => {
  const pool = new Argon2Pool(ARGON2_PARAMS, 2);
  afterAll(() => pool.close());

  it('hashes with argon2id at the given parameters, verifiable by the library itself', async () => {
    const digest = await pool.hash('correct horse battery staple');
    expect(digest).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verify(digest, 'correct horse battery staple')).toBe(true);
    expect(await pool.verify(digest, 'correct horse battery staple')).toBe(true);
    expect(await pool.verify(digest, 'wrong horse')).toBe(false);
  });

  it('runs more jobs than threads, each answered with its own result', async () => {
    const passwords = Array.from({ length: 6 }, (_, i) => `password-${i}`);
    const digests = await Promise.all(passwords.map((p) => pool.hash(p)));
    expect(new Set(digests).size).toBe(6);
    const checks = await Promise.all(digests.map((d, i) => pool.verify(d, passwords[(i + 1) % 6]!)));
    expect(checks).toEqual([false, false, false, false, false, false]);
    expect(await Promise.all(digests.map((d, i) => pool.verify(d, passwords[i]!)))).toEqual([true, true, true, true, true, true]);
  });

  it('hashes on threads niced below the rest of the process', async () => {
    await pool.hash('warm');
    const nice = niceValues();
    expect(nice.filter((n) => n === 10)).toHaveLength(2);
    expect(nice.filter((n) => n === 0).length).toBeGreaterThan(0);
  });

  it('refuses a malformed digest as an error, and keeps serving', async () => {
    await expect(pool.verify('not-a-digest', 'x')).rejects.toThrow();
    expect(await pool.verify(await pool.hash('still'), 'still')).toBe(true);
  });

  it('refuses work once closed', async () => {
    const closing = new Argon2Pool(ARGON2_PARAMS, 1);
    await closing.hash('once');
    await closing.close();
    await expect(closing.hash('again')).rejects.toThrow('password hashing stopped');
  });
});
