/** Network names as the seed defines them: one DNS label of letters and digits, 8..63 characters. */
export const NETWORK_NAME = /^[a-zA-Z0-9]{8,63}$/;

/** Names closer than this many edits to an existing name are taken. */
export const MIN_NAME_DISTANCE = 3;

export const nameKey = (name: string): string => name.trim().toLowerCase();

/** Levenshtein distance, giving up (returning `limit`) once it must reach `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      if (v < best) best = v;
    }
    if (best >= limit) return limit;
    prev = row;
  }
  return prev[b.length]!;
}
