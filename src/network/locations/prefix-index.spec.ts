import fc from 'fast-check';
import { editDistance } from '../networks/network-name.js';
import { PrefixIndex } from './prefix-index.js';

/** The smallest edit distance between the query and any prefix of the text (brute force). */
function prefixDistance(query: string, text: string): number {
  let best = Infinity;
  for (let k = 0; k <= text.length; k++) best = Math.min(best, editDistance(query, text.slice(0, k)));
  return best;
}

describe('PrefixIndex', () => {
  it('finds exactly the entries with a prefix within the distance, at their smallest distance', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', ' '), minLength: 1, maxLength: 9 });
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 40 }), word, fc.integer({ min: 1, max: 2 }), (texts, query, d) => {
        const normalized = texts.map((t) => t.trim().replace(/\s+/g, ' ')).filter(Boolean);
        const q = query.trim().replace(/\s+/g, ' ');
        if (!q) return;
        const index = new PrefixIndex(normalized.map((text, item) => ({ text, item })));
        const found = index.search(q, d);
        normalized.forEach((text, item) => {
          const expected = prefixDistance(q, text);
          // Queries of three or more characters only reach entries starting with their first or second character.
          const reachable = q.length < 3 || text[0] === q[0] || text[0] === q[1];
          if (expected <= d && reachable) expect(found.get(item)).toBe(expected);
        });
        for (const [item, dist] of found) expect(dist).toBe(prefixDistance(q, normalized[item]!));
      }),
      { numRuns: 400 },
    );
  });

  it('queries longer than a machine word (the row-by-row automaton) agree with brute force too', () => {
    const long = fc.string({ unit: fc.constantFrom('a', 'b', ' '), minLength: 31, maxLength: 36 });
    fc.assert(
      fc.property(fc.array(long, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 2 }), fc.nat(), (texts, d, pick) => {
        const normalized = texts.map((t) => t.trim().replace(/\s+/g, ' ')).filter((t) => t.length > 30);
        if (!normalized.length) return;
        // The query is one of the texts with a letter changed, so matches exist.
        const base = normalized[pick % normalized.length]!;
        const q = base.slice(0, 5) + (base[5] === 'a' ? 'b' : 'a') + base.slice(6);
        const index = new PrefixIndex(normalized.map((text, item) => ({ text, item })));
        const found = index.search(q, d);
        normalized.forEach((text, item) => {
          const expected = prefixDistance(q, text);
          const reachable = text[0] === q[0] || text[0] === q[1];
          if (expected <= d && reachable) expect(found.get(item)).toBe(expected);
        });
        for (const [item, dist] of found) expect(dist).toBe(prefixDistance(q, normalized[item]!));
        expect(found.size).toBeGreaterThan(0);
      }),
      { numRuns: 100 },
    );
  });

  it('"germny" reaches "germany (de)" at distance 1', () => {
    const index = new PrefixIndex([{ text: 'germany (de)', item: 0 }, { text: 'france (fr)', item: 1 }]);
    expect([...index.search('germny', 1)]).toEqual([[0, 1]]);
  });
});
