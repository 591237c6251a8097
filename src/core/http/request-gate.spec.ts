import { jsonTooDeep } from './request-gate.js';

describe('jsonTooDeep', () => {
  it('counts nesting outside strings, in one pass', () => {
    expect(jsonTooDeep('{"a":[1,{"b":2}]}', 3)).toBe(false);
    expect(jsonTooDeep('{"a":[1,{"b":[2]}]}', 3)).toBe(true);
    expect(jsonTooDeep(`{"s":"${'['.repeat(100)}\\"{"}`, 2)).toBe(false);
    expect(jsonTooDeep('['.repeat(1_000_000))).toBe(true);
    expect(jsonTooDeep(Buffer.from('[[]]'), 2)).toBe(false);
  });
});
