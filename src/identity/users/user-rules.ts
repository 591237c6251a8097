/** Barong's model validations for users, as error codes (`<attribute>.<error>`). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailErrors(email: string): string[] {
  return EMAIL.test(email.trim()) && email.length <= 255 ? [] : ['email.invalid'];
}

export function usernameErrors(username: string | undefined | null): string[] {
  if (username === undefined || username === null || username === '') return [];
  if (username.length < 4) return ['username.too_short'];
  if (username.length > 12) return ['username.too_long'];
  if (!/^[a-zA-Z0-9]+$/.test(username)) return ['username.invalid'];
  return [];
}

/** `data` is a JSON document of at most 1024 characters. */
export function dataErrors(data: string | undefined | null, max = 1024): string[] {
  if (data === undefined || data === null) return [];
  const errors: string[] = [];
  try {
    JSON.parse(data);
  } catch {
    errors.push('data.invalid_format');
  }
  if (data.length > max) errors.push('data.too_long');
  return errors;
}

/** Postgres unique violations on the users table, as Barong's `<attribute>.taken`. */
export function uniqueViolationCode(err: unknown): string | undefined {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e?.driverError?.code ?? e?.code;
  const constraint = e?.driverError?.constraint ?? e?.constraint;
  if (code !== '23505') return undefined;
  if (constraint === 'uq_users_app_email') return 'email.taken';
  if (constraint === 'uq_users_app_username') return 'username.taken';
  return undefined;
}
