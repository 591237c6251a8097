/** The zero id Go emits for an id that was never set. */
export const ZERO_ID = '00000000-0000-0000-0000-000000000000';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Ids on the wire are hyphenated UUIDs, exactly 36 characters. */
export const isId = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** Lowercase, as every id is written back. */
export const normalizeId = (value: string): string => value.toLowerCase();
