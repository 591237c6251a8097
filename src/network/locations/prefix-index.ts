/** Search normalisation: ASCII folding of accents, lower case, collapsed whitespace. */
export function normalizeQuery(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * A typo-tolerant prefix index. The indexed strings are sorted, so every prefix is a contiguous
 * range of entries: the trie is implicit (a node is a range and a depth) and costs no memory
 * beyond the strings. A search walks that trie with one Levenshtein row per depth and stops where
 * the row's minimum exceeds the allowed distance, so it visits only prefixes within reach of the
 * query. An entry matches when some prefix of it is within the distance of the whole query.
 */
export class PrefixIndex {
  private readonly chars: Uint16Array;
  private readonly offsets: Int32Array;
  /** The item (caller's number) each sorted entry stands for. */
  private readonly items: Int32Array;
  readonly size: number;

  constructor(entries: { text: string; item: number }[]) {
    const normalized = entries.map((e) => ({ text: normalizeQuery(e.text), item: e.item })).filter((e) => e.text);
    normalized.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : a.item - b.item));
    this.size = normalized.length;
    let total = 0;
    for (const e of normalized) total += e.text.length;
    this.chars = new Uint16Array(total);
    this.offsets = new Int32Array(this.size + 1);
    this.items = new Int32Array(this.size);
    let at = 0;
    normalized.forEach((e, i) => {
      this.offsets[i] = at;
      this.items[i] = e.item;
      for (let k = 0; k < e.text.length; k++) this.chars[at++] = e.text.charCodeAt(k);
    });
    this.offsets[this.size] = at;
  }

  private length(e: number): number {
    return this.offsets[e + 1]! - this.offsets[e]!;
  }

  /** The char at `depth` of entry `e` (entries of length `depth` do not reach here). */
  private charAt(e: number, depth: number): number {
    return this.chars[this.offsets[e]! + depth]!;
  }

  /** First entry in [lo, hi) whose char at `depth` is greater than `c` (all have length > depth). */
  private runEnd(lo: number, hi: number, depth: number, c: number): number {
    // Gallop first: most runs are short.
    let step = 1;
    let prev = lo;
    let probe = lo + 1;
    while (probe < hi && this.charAt(probe, depth) === c) {
      prev = probe;
      step *= 2;
      probe = lo + step;
    }
    let a = prev + 1;
    let b = Math.min(probe, hi);
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (this.charAt(mid, depth) === c) a = mid + 1;
      else b = mid;
    }
    return a;
  }

  /**
   * Items whose indexed strings have a prefix within `maxDistance` edits of `query`, with the
   * smallest such distance; at most `cap` items, the closest first. For queries of three or more
   * characters an entry's first character must be the query's first or second one (a typo in the
   * first letter is rare, a swap of the first two is not): that keeps a search over every city of
   * the world in a fraction of a millisecond.
   */
  search(query: string, maxDistance: number, cap = Infinity): Map<number, number> {
    const q = normalizeQuery(query);
    const out = new Map<number, number>();
    if (!q || this.size === 0) return out;
    const L = q.length;
    const qc = new Uint16Array(L);
    for (let i = 0; i < L; i++) qc[i] = q.charCodeAt(i);
    const maxDepth = L + maxDistance;
    const width = L + 1;
    const rows = new Int32Array((maxDepth + 1) * width);
    for (let j = 0; j <= L; j++) rows[j] = j;
    // Matched subtrees by distance: buckets[d] holds [lo, hi) pairs.
    const buckets: number[][] = Array.from({ length: maxDistance + 1 }, () => []);

    const visit = (lo: number, hi: number, depth: number, best: number): void => {
      const base = depth * width;
      const m = rows[base + L]!;
      // A subtree inside one already matched at a distance no larger adds nothing.
      if (m < best) {
        buckets[m]!.push(lo, hi);
        best = m;
        if (m === 0) return;
      }
      if (depth >= maxDepth) return;
      let i = lo;
      while (i < hi && this.length(i) === depth) i++;
      const next = base + width;
      while (i < hi) {
        const c = this.charAt(i, depth);
        const end = this.charAt(hi - 1, depth) === c ? hi : this.runEnd(i, hi, depth, c);
        if (depth === 0 && L >= 3 && c !== qc[0] && c !== qc[1]) {
          i = end;
          continue;
        }
        rows[next] = depth + 1;
        let min = depth + 1;
        for (let j = 1; j <= L; j++) {
          const sub = rows[base + j - 1]! + (qc[j - 1] === c ? 0 : 1);
          const del = rows[base + j]! + 1;
          const ins = rows[next + j - 1]! + 1;
          const v = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
          rows[next + j] = v;
          if (v < min) min = v;
        }
        if (min <= maxDistance && min < best) visit(i, end, depth + 1, best);
        i = end;
      }
    };
    visit(0, this.size, 0, maxDistance + 1);

    // Closest subtrees first: an item's first appearance is its smallest distance.
    for (let d = 0; d <= maxDistance; d++) {
      const list = buckets[d]!;
      for (let r = 0; r < list.length; r += 2) {
        for (let e = list[r]!; e < list[r + 1]!; e++) {
          const item = this.items[e]!;
          if (!out.has(item)) {
            out.set(item, d);
            if (out.size >= cap) return out;
          }
        }
      }
    }
    return out;
  }
}
