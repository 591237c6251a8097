import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

/**
 * Param decorators for the admin face. Query strings and form fields arrive as strings, JSON as
 * typed values; each decorator converts what Grape would coerce and leaves anything else as is,
 * so the validator reports it with the Barong-style code. Absent values pass (optional params).
 */

const TRUE = new Set(['true', '1', 't', 'yes']);
const FALSE = new Set(['false', '0', 'f', 'no']);

/** Optional boolean: true/false, or their string forms; anything else but blank gives `code`. */
export function BooleanParam(code: string): PropertyDecorator {
  return (target, key) => {
    Transform(({ value }) => {
      if (typeof value !== 'string') return value;
      const v = value.trim().toLowerCase();
      if (TRUE.has(v)) return true;
      if (FALSE.has(v)) return false;
      return value;
    })(target, key);
    ValidateBy(
      { name: 'booleanParam', validator: { validate: (v: unknown) => v === undefined || v === null || v === '' || typeof v === 'boolean' } },
      { message: code },
    )(target, key);
  };
}

/** Optional integer (epoch seconds, levels): digits only; anything else gives `code`. */
export function IntegerParam(code: string): PropertyDecorator {
  return (target, key) => {
    Transform(({ value }) => (typeof value === 'string' && /^\s*-?\d{1,15}\s*$/.test(value) ? Number(value) : value))(target, key);
    ValidateBy(
      { name: 'integerParam', validator: { validate: (v: unknown) => v === undefined || (typeof v === 'number' && Number.isSafeInteger(v)) } },
      { message: code },
    )(target, key);
  };
}

/** Optional string: a repeated query key (an array) or a JSON object gives `code`. */
export function StringParam(code: string): PropertyDecorator {
  return ValidateBy({ name: 'stringParam', validator: { validate: (v: unknown) => v === undefined || typeof v === 'string' } }, { message: code });
}

/** Optional value out of a fixed list. */
export function OneOfParam(values: readonly string[], code: string): PropertyDecorator {
  return ValidateBy(
    { name: 'oneOfParam', validator: { validate: (v: unknown) => v === undefined || (typeof v === 'string' && values.includes(v)) } },
    { message: code },
  );
}

/**
 * Grape's `exactly_one_of`: put it on a property that is never sent (it validates the object);
 * exactly one of `keys` must be present.
 */
export function ExactlyOneOf(keys: readonly string[], code: string): PropertyDecorator {
  return ValidateBy(
    {
      name: 'exactlyOneOf',
      validator: {
        validate: (_v: unknown, args) => {
          const o = (args?.object ?? {}) as Record<string, unknown>;
          return keys.filter((k) => o[k] !== undefined).length === 1;
        },
      },
    },
    { message: code },
  );
}
