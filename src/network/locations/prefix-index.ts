/** Search normalisation: ASCII folding of accents, lower case, collapsed whitespace. */
export function normalizeQuery(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

export interface PrefixIndexParts {
  chars: Uint16Array;
  offsets: Int32Array;
  items: Int32Array;
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

  /** The index as typed arrays (to move it between threads without copying). */
  parts(): PrefixIndexParts {
    return { chars: this.chars, offsets: this.offsets, items: this.items };
  }

  static fromParts(parts: PrefixIndexParts): PrefixIndex {
    const index = Object.create(PrefixIndex.prototype) as { -readonly [K in keyof PrefixIndex]: PrefixIndex[K] } & Record<string, unknown>;
    Object.assign(index, { chars: parts.chars, offsets: parts.offsets, items: parts.items, size: parts.items.length });
    return index as unknown as PrefixIndex;
  }

  /** `entries` texts must already be normalised (see normalizeQuery). */
  constructor(entries: { text: string; item: number }[]) {
    // Sorting plain strings is done natively and is several times faster than a comparator; the
    // item rides along after a separator that sorts before every character.
    const keyed = new Array<string>(entries.length);
    let n = 0;
    for (const e of entries) if (e.text) keyed[n++] = `${e.text}\u0001${e.item.toString(36)}`;
    keyed.length = n;
    keyed.sort();
    this.size = n;
    let total = 0;
    for (const k of keyed) total += k.lastIndexOf('\u0001');
    this.chars = new Uint16Array(total);
    this.offsets = new Int32Array(this.size + 1);
    this.items = new Int32Array(this.size);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const k = keyed[i]!;
      const cut = k.lastIndexOf('\u0001');
      this.offsets[i] = at;
      this.items[i] = parseInt(k.slice(cut + 1), 36);
      for (let c = 0; c < cut; c++) this.chars[at++] = k.charCodeAt(c);
    }
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
    // Only the diagonal band |j - depth| <= maxDistance can hold values within reach; cells just
    // outside it read as INF, so each row costs 2 * maxDistance + 1 cells whatever the query length.
    const INF = maxDistance + 1;
    const rows = new Int32Array((maxDepth + 2) * width).fill(INF);
    for (let j = 0; j <= Math.min(L, maxDistance); j++) rows[j] = j;
    // Matched subtrees by distance: buckets[d] holds [lo, hi) pairs.
    const buckets: number[][] = Array.from({ length: maxDistance + 1 }, () => []);

    const visit = (lo: number, hi: number, depth: number, best: number): void => {
      const base = depth * width;
      const m = L >= depth - maxDistance && L <= depth + maxDistance ? rows[base + L]! : INF;
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
      const d1 = depth + 1;
      const bandLo = d1 - maxDistance > 0 ? d1 - maxDistance : 0;
      const bandHi = d1 + maxDistance < L ? d1 + maxDistance : L;
      while (i < hi) {
        const c = this.charAt(i, depth);
        const end = this.charAt(hi - 1, depth) === c ? hi : this.runEnd(i, hi, depth, c);
        if (depth === 0 && L >= 3 && c !== qc[0] && c !== qc[1]) {
          i = end;
          continue;
        }
        let min = INF;
        let j = bandLo;
        if (j === 0) {
          rows[next] = d1;
          min = d1;
          j = 1;
        } else {
          rows[next + j - 1] = INF;
        }
        for (; j <= bandHi; j++) {
          const sub = rows[base + j - 1]! + (qc[j - 1] === c ? 0 : 1);
          const del = rows[base + j]! + 1;
          const ins = rows[next + j - 1]! + 1;
          let v = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
          if (v > INF) v = INF;
          rows[next + j] = v;
          if (v < min) min = v;
        }
        if (bandHi + 1 <= L) rows[next + bandHi + 1] = INF;
        if (min <= maxDistance && min < best) visit(i, end, d1, best);
        i = end;
      }
    };
    visit(0, this.size, 0, INF);

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
