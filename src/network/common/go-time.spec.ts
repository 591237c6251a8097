import { goTime } from './go-time.js';

describe('goTime', () => {
  it.each([
    [0, '2024-12-05T08:30:07Z'],
    [1, '2024-12-05T08:30:07.001Z'],
    [10, '2024-12-05T08:30:07.01Z'],
    [120, '2024-12-05T08:30:07.12Z'],
    [500, '2024-12-05T08:30:07.5Z'],
    [999, '2024-12-05T08:30:07.999Z'],
  ])('writes %i ms as Go does: %s', (ms, expected) => {
    expect(goTime(Date.UTC(2024, 11, 5, 8, 30, 7, ms))).toBe(expected);
    expect(goTime(new Date(Date.UTC(2024, 11, 5, 8, 30, 7, ms)))).toBe(expected);
  });

  it('keeps an extended year', () => {
    expect(goTime(new Date('+010000-01-01T00:00:00.250Z'))).toBe('+010000-01-01T00:00:00.25Z');
  });
});
