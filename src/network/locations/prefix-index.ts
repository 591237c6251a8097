/** Search normalisation: ASCII folding of accents, lower case, collapsed whitespace. */
export function normalizeQuery(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

export interface PrefixIndexParts {
  chars: Uint16Array;
  offsets: Int32Array;
  items: Int32Array;
  trie: TrieParts;
}

/** The same arrays in shared memory: another thread can then search the index without a copy. */
export function sharedParts(parts: PrefixIndexParts): PrefixIndexParts {
  const trie = parts.trie;
  return {
    chars: shared(parts.chars),
    offsets: shared(parts.offsets),
    items: shared(parts.items),
    trie: { lo: shared(trie.lo), hi: shared(trie.hi), end: shared(trie.end), char: shared(trie.char), text: shared(trie.text), firstChild: shared(trie.firstChild), childCount: shared(trie.childCount) },
  };
}

/** A copy of `array` in shared memory. */
export function shared<T extends Uint8Array | Uint16Array | Int32Array>(array: T): T {
  const copy = new (array.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}

/** A path-compressed trie over the sorted entries, as parallel arrays (node 0 is the root). */
interface TrieParts {
  /** First entry and one past the last entry under each node. */
  lo: Int32Array;
  hi: Int32Array;
  /** The string depth at which the node ends (the root ends at 0). */
  end: Uint16Array;
  /** The first character of the edge into the node, and where its first entry's text starts. */
  char: Uint16Array;
  text: Int32Array;
  /** A node's children are contiguous, in character order. */
  firstChild: Int32Array;
  childCount: Int32Array;
}

/**
 * A typo-tolerant prefix index. The indexed strings are sorted, so every prefix is a contiguous
 * range of entries; a path-compressed trie over them (one node per branching prefix, children
 * stored side by side) lets a search walk every prefix in reach while reading memory mostly in
 * order. A search walks that trie with one Levenshtein row per character and stops where the row's
 * minimum exceeds the allowed distance, so it visits only prefixes within reach of the query. An
 * entry matches when some prefix of it is within the distance of the whole query.
 */
export class PrefixIndex {
  private readonly chars: Uint16Array;
  private readonly offsets: Int32Array;
  /** The item (caller's number) each sorted entry stands for. */
  private readonly items: Int32Array;
  private readonly trie: TrieParts;
  readonly size: number;

  /** The index as typed arrays (to move it between threads without copying). */
  parts(): PrefixIndexParts {
    return { chars: this.chars, offsets: this.offsets, items: this.items, trie: this.trie };
  }

  static fromParts(parts: PrefixIndexParts): PrefixIndex {
    const index = Object.create(PrefixIndex.prototype) as { -readonly [K in keyof PrefixIndex]: PrefixIndex[K] } & Record<string, unknown>;
    Object.assign(index, { chars: parts.chars, offsets: parts.offsets, items: parts.items, trie: parts.trie, size: parts.items.length });
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
    this.trie = this.buildTrie();
  }

  private length(e: number): number {
    return this.offsets[e + 1]! - this.offsets[e]!;
  }

  /** Common prefix length of entries e - 1 and e (0 for the first). */
  private commonPrefixes(): Uint16Array {
    const lcp = new Uint16Array(this.size);
    for (let e = 1; e < this.size; e++) {
      const a = this.offsets[e - 1]!;
      const b = this.offsets[e]!;
      const max = Math.min(this.length(e - 1), this.length(e));
      let k = 0;
      while (k < max && this.chars[a + k] === this.chars[b + k]) k++;
      lcp[e] = k;
    }
    return lcp;
  }

  /**
   * Breadth first, so each node's children are allocated side by side. A node's range splits into
   * children where neighbouring entries part at the node's depth; entries that end at that depth
   * (they sort first) belong to the node but to no child.
   */
  private buildTrie(): TrieParts {
    const lcp = this.commonPrefixes();
    const capacity = 2 * this.size + 1;
    const lo = new Int32Array(capacity);
    const hi = new Int32Array(capacity);
    const end = new Uint16Array(capacity);
    const char = new Uint16Array(capacity);
    const text = new Int32Array(capacity);
    const firstChild = new Int32Array(capacity);
    const childCount = new Int32Array(capacity);
    hi[0] = this.size;
    let count = 1;
    for (let node = 0; node < count; node++) {
      const depth = end[node]!;
      let i = lo[node]!;
      const last = hi[node]!;
      while (i < last && this.length(i) === depth) i++;
      firstChild[node] = count;
      while (i < last) {
        let j = i + 1;
        let common = 0xffff;
        while (j < last && lcp[j]! > depth) {
          if (lcp[j]! < common) common = lcp[j]!;
          j++;
        }
        lo[count] = i;
        hi[count] = j;
        end[count] = j - i === 1 ? this.length(i) : common;
        text[count] = this.offsets[i]!;
        char[count] = this.chars[text[count]! + depth]!;
        count++;
        i = j;
      }
      childCount[node] = count - firstChild[node]!;
    }
    return { lo: lo.slice(0, count), hi: hi.slice(0, count), end: end.slice(0, count), char: char.slice(0, count), text: text.slice(0, count), firstChild: firstChild.slice(0, count), childCount: childCount.slice(0, count) };
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
    const { step, whole } = L <= BitAutomaton.MAX_QUERY ? new BitAutomaton(qc, maxDistance) : new BandAutomaton(qc, maxDistance);
    // Matched subtrees by distance: buckets[d] holds [lo, hi) pairs.
    const buckets: number[][] = Array.from({ length: maxDistance + 1 }, () => []);
    const { lo, hi, end, char, text, firstChild, childCount } = this.trie;
    const { chars } = this;

    /** Walks the edge into `node` (from string depth `depth`, whose row is computed) and below. */
    const visit = (node: number, depth: number, best: number): void => {
      const stop = end[node]!;
      // The entry's text is read only past the edge's first character (most children end there).
      let from = -1;
      for (let k = depth; k < stop; k++) {
        if (k > depth && from < 0) from = text[node]!;
        const min = step(k, k === depth ? char[node]! : chars[from + k]!);
        if (min > maxDistance || min >= best) return;
        const m = whole(k + 1);
        // A subtree inside one already matched at a distance no larger adds nothing.
        if (m < best) {
          buckets[m]!.push(lo[node]!, hi[node]!);
          best = m;
          if (m === 0) return;
        }
        if (k + 1 >= maxDepth) return;
      }
      const first = firstChild[node]!;
      for (let c = first, last = first + childCount[node]!; c < last; c++) visit(c, stop, best);
    };

    // A query no longer than the distance matches everything at its length, and maybe closer below.
    const rootMatch = whole(0);
    if (rootMatch <= maxDistance) buckets[rootMatch]!.push(0, this.size);
    const first = firstChild[0]!;
    for (let c = first, last = first + childCount[0]!; c < last; c++) {
      if (L >= 3 && char[c] !== qc[0] && char[c] !== qc[1]) continue;
      visit(c, 0, rootMatch);
    }

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

/**
 * Edit distance between the query and a text prefix, one text character at a time: `step(depth,
 * c)` extends the prefix of length `depth` by `c` and returns the smallest distance any longer
 * prefix could still reach (more than the allowed distance when none can); `whole(depth)` is the
 * distance between the whole query and that prefix (more than allowed when out of reach).
 */
interface PrefixAutomaton {
  step(depth: number, c: number): number;
  whole(depth: number): number;
}

/**
 * The Levenshtein automaton as bit vectors (Wu and Manber): for each error count k a word whose bit
 * i says "i query characters consumed with at most k errors". One text character costs a few word
 * operations per error count, whatever the query length, for queries of up to 30 characters.
 */
class BitAutomaton implements PrefixAutomaton {
  static readonly MAX_QUERY = 30;
  private readonly states: Int32Array;
  private readonly ascii = new Int32Array(128);
  private readonly full: number;

  constructor(
    private readonly query: Uint16Array,
    private readonly maxDistance: number,
  ) {
    const L = query.length;
    const k1 = maxDistance + 1;
    this.full = (1 << (L + 1)) - 1;
    this.states = new Int32Array((L + maxDistance + 2) * k1);
    // Before any text, k errors may have skipped the first k query characters.
    for (let k = 0; k <= maxDistance; k++) this.states[k] = ((1 << (k + 1)) - 1) & this.full;
    for (let i = 0; i < L; i++) if (query[i]! < 128) this.ascii[query[i]!]! |= 1 << (i + 1);
    this.step = this.step.bind(this);
    this.whole = this.whole.bind(this);
  }

  /** Bit i + 1 set where query[i] is c: the states a match of c moves to. */
  private mask(c: number): number {
    if (c < 128) return this.ascii[c]!;
    let m = 0;
    for (let i = 0; i < this.query.length; i++) if (this.query[i] === c) m |= 1 << (i + 1);
    return m;
  }

  step(depth: number, c: number): number {
    const k1 = this.maxDistance + 1;
    const base = depth * k1;
    const next = base + k1;
    const s = this.states;
    const b = this.mask(c);
    const full = this.full;
    let before = s[base]!;
    let after = (before << 1) & b;
    s[next] = after;
    let min = after !== 0 ? 0 : k1;
    for (let k = 1; k < k1; k++) {
      const old = s[base + k]!;
      // match, or from k - 1 errors: an extra text character, a substitution, a skipped query character.
      const now = (((old << 1) & b) | before | (before << 1) | (after << 1)) & full;
      s[next + k] = now;
      if (now !== 0 && min === k1) min = k;
      before = old;
      after = now;
    }
    return min;
  }

  whole(depth: number): number {
    const k1 = this.maxDistance + 1;
    const bit = 1 << this.query.length;
    for (let k = 0; k < k1; k++) if (this.states[depth * k1 + k]! & bit) return k;
    return k1;
  }
}

/** One Levenshtein row per text character, inside the diagonal band that can stay in reach (any query length). */
class BandAutomaton implements PrefixAutomaton {
  private readonly rows: Int32Array;
  private readonly width: number;
  private readonly inf: number;

  constructor(
    private readonly query: Uint16Array,
    private readonly maxDistance: number,
  ) {
    const L = query.length;
    this.width = L + 1;
    // Only the band |j - depth| <= maxDistance can hold values within reach; cells just outside it
    // read as INF, so each row costs 2 * maxDistance + 1 cells whatever the query length.
    this.inf = maxDistance + 1;
    this.rows = new Int32Array((L + maxDistance + 2) * this.width).fill(this.inf);
    for (let j = 0; j <= Math.min(L, maxDistance); j++) this.rows[j] = j;
    this.step = this.step.bind(this);
    this.whole = this.whole.bind(this);
  }

  step(depth: number, c: number): number {
    const { rows, width, query: qc, maxDistance, inf: INF } = this;
    const L = qc.length;
    const base = depth * width;
    const next = base + width;
    const d1 = depth + 1;
    const bandLo = d1 - maxDistance > 0 ? d1 - maxDistance : 0;
    const bandHi = d1 + maxDistance < L ? d1 + maxDistance : L;
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
    return min;
  }

  whole(depth: number): number {
    const L = this.query.length;
    return L >= depth - this.maxDistance && L <= depth + this.maxDistance ? this.rows[depth * this.width + L]! : this.inf;
  }
}
