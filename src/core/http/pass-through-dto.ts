import { createRequire } from 'node:module';
import { getMetadataStorage, ValidationTypes } from 'class-validator';

interface TransformerStorage {
  getStrategy(target: object): string;
  getExposedMetadatas(target: object): unknown[];
  getExcludedMetadatas(target: object): unknown[];
  findTypeMetadata(target: object, propertyName: string): unknown;
  findTransformMetadatas(target: object, propertyName: string, transformationType: number): unknown[];
}

// The storage the decorators of class-transformer write to (the package's CommonJS build, which is
// what `import 'class-transformer'` loads, here and in the validation pipe).
const { defaultMetadataStorage } = createRequire(import.meta.url)('class-transformer/cjs/storage.js') as { defaultMetadataStorage: TransformerStorage };
const PLAIN_TO_CLASS = 0;

type Dto = new () => Record<string, unknown>;
const plans = new WeakMap<object, readonly string[] | null>();

/**
 * The fields of a DTO class whose every rule is `@IsOptional()` and that nothing in
 * class-transformer touches (no `@Type`, `@Transform`, `@Expose`, `@Exclude`): validating such a
 * DTO can only copy the declared fields and drop the rest, so the pipe does exactly that without
 * running either library (the lenient `/v1` DTOs are all of this kind). Undefined for any other
 * class, which goes through class-validator as usual.
 */
export function passThroughFields(metatype: unknown): readonly string[] | undefined {
  if (typeof metatype !== 'function') return undefined;
  let plan = plans.get(metatype);
  if (plan === undefined) plans.set(metatype, (plan = planFor(metatype as Dto)));
  return plan ?? undefined;
}

function planFor(metatype: Dto): readonly string[] | null {
  const rules = getMetadataStorage().getTargetValidationMetadatas(metatype, '', false, false);
  // A class without rules is refused by class-validator (forbidUnknownValues): not a pass-through.
  if (!rules.length) return null;
  for (const r of rules) {
    if (r.type !== ValidationTypes.CONDITIONAL_VALIDATION || r.name !== 'isOptional' || r.each || r.groups?.length || r.always) return null;
  }
  const fields = [...new Set(rules.map((r) => r.propertyName))];
  const t = defaultMetadataStorage;
  if (t.getStrategy(metatype) !== 'none' || t.getExposedMetadatas(metatype).length || t.getExcludedMetadatas(metatype).length) return null;
  for (const f of fields) if (t.findTypeMetadata(metatype, f) || t.findTransformMetadatas(metatype, f, PLAIN_TO_CLASS).length) return null;
  return fields;
}

/** `value` as an instance of the pass-through DTO: its declared own fields, nothing else; undefined unless `value` is a plain object. */
export function passThrough(metatype: unknown, fields: readonly string[], value: unknown): object | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return undefined;
  const out = new (metatype as Dto)();
  const source = value as Record<string, unknown>;
  for (const f of fields) if (Object.prototype.hasOwnProperty.call(source, f)) out[f] = source[f];
  return out;
}
