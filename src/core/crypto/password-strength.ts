/**
 * Password entropy as Barong computes it (the strong_password gem, 0.0.9): NIST SP 800-63 bit
 * counting with repeated characters weakened, minimum over the raw, lower-cased, keyboard-pattern
 * and dictionary-stripped variants.
 */
const QWERTY_ROWS = ['1234567890-=', 'qwertyuiop[]\\', "asdfghjkl;'", 'zxcvbnm,./', '!@#$%^&*()_+', 'QWERTYUIOP{}|', 'ASDFGHJKL:"', 'ZXCVBNM<>?'];

/** A short list of the words most often found in leaked passwords. */
const COMMON_WORDS = [
  'password', 'passw0rd', 'admin', 'welcome', 'qwerty', 'letmein', 'dragon', 'monkey', 'master', 'login',
  'princess', 'sunshine', 'shadow', 'football', 'baseball', 'superman', 'trustno', 'iloveyou', 'secret',
  'abc123', 'starwars', 'whatever', 'freedom', 'hello', 'charlie', 'jordan', 'michael', 'computer',
  'barong', 'bitcoin', 'crypto', 'summer', 'winter', 'spring', 'autumn', 'love', 'test', 'user',
];

function bitsAtPosition(position: number): number {
  if (position === 0) return 4;
  if (position <= 7) return 2;
  if (position <= 19) return 1.5;
  return 1;
}

function nistBonusBits(password: string): number {
  const upper = /[A-Z]/.test(password);
  const lower = /[a-z]/.test(password);
  const numeric = /\d/.test(password);
  const other = /[^a-zA-Z0-9 ]/.test(password);
  const space = / /.test(password);
  let bonus = 0;
  if (upper && lower && other && numeric) bonus = 6;
  else if (upper && lower && other && !numeric) bonus = 5;
  else if (numeric && other && !upper && !lower) bonus = -2;
  else if (numeric && !other && !upper && !lower) bonus = -6;
  if (!space) bonus -= 2;
  else if (password.split(/\s+/).length > 3) bonus += 1;
  return bonus;
}

/** NIST bits where each repeat of a character is worth 75% of its previous occurrence. */
export function entropyWithRepeatsWeakened(password: string): number {
  if (!password) return 0;
  const weights = new Map<string, number>();
  let bits = 0;
  [...password].forEach((ch, i) => {
    const w = weights.get(ch) ?? 1;
    bits += bitsAtPosition(i) * w;
    weights.set(ch, w * 0.75);
  });
  return bits + nistBonusBits(password);
}

/** Runs of 3+ adjacent keys (forward or backward) count as a single character. */
function qwertyAdjusted(password: string): number {
  let stripped = password;
  for (const row of QWERTY_ROWS) {
    for (const line of [row, [...row].reverse().join('')]) {
      for (let len = line.length; len >= 3; len--) {
        for (let i = 0; i + len <= line.length; i++) {
          const run = line.slice(i, i + len);
          if (stripped.toLowerCase().includes(run.toLowerCase())) {
            const idx = stripped.toLowerCase().indexOf(run.toLowerCase());
            stripped = stripped.slice(0, idx) + stripped[idx] + stripped.slice(idx + len);
          }
        }
      }
    }
  }
  return entropyWithRepeatsWeakened(stripped);
}

/** Dictionary words (4+ letters, leetspeak folded) count as one character each. */
function dictionaryAdjusted(password: string): number {
  const folded = password
    .toLowerCase()
    .replace(/0/g, 'o')
    .replace(/1/g, 'l')
    .replace(/3/g, 'e')
    .replace(/4|@/g, 'a')
    .replace(/5|\$/g, 's')
    .replace(/7/g, 't');
  let reduced = password;
  for (const word of COMMON_WORDS) {
    const idx = folded.indexOf(word.replace(/0/g, 'o'));
    if (idx >= 0 && word.length >= 4) {
      reduced = reduced.slice(0, idx) + reduced[idx] + reduced.slice(idx + word.length);
      break;
    }
  }
  return entropyWithRepeatsWeakened(reduced);
}

export function passwordEntropy(password: string, useDictionary = true): number {
  const base = password.slice(0, 100);
  const candidates = [entropyWithRepeatsWeakened(base), entropyWithRepeatsWeakened(base.toLowerCase()), qwertyAdjusted(base)];
  if (useDictionary) candidates.push(dictionaryAdjusted(base));
  return Math.floor(Math.min(...candidates));
}
