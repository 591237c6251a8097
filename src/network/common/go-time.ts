/**
 * A time as Go's JSON encoder writes a `time.Time` in UTC: RFC 3339 with up to nine fractional
 * digits, trailing zeros dropped (`2024-12-05T08:30:07.123Z`, `2024-12-05T08:30:07Z`).
 */
export function goTime(value: Date | number): string {
  const iso = new Date(value).toISOString();
  // A JavaScript time has milliseconds: the fraction is three digits, `.sssZ` (except for years past 9999).
  const dot = iso.length - 5;
  if (iso.charCodeAt(dot) !== 46 /* . */) return iso;
  let end = iso.length - 1;
  while (end > dot && iso.charCodeAt(end - 1) === 48 /* 0 */) end--;
  return end === dot + 1 ? `${iso.slice(0, dot)}Z` : `${iso.slice(0, end)}Z`;
}

/** A UTC day key (`YYYY-MM-DD`). */
export const dayKey = (value: Date | number): string => new Date(value).toISOString().slice(0, 10);

/** The last `days` UTC day keys, oldest first, ending today. */
export function lastDays(days: number, now = Date.now()): string[] {
  const out: string[] = [];
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  for (let i = days - 1; i >= 0; i--) out.push(dayKey(today - i * 86_400_000));
  return out;
}
