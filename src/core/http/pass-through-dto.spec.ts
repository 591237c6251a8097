import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsOptional, IsString } from 'class-validator';
import fc from 'fast-check';
import { passThroughFields } from './pass-through-dto.js';
import { createValidationPipe } from './validation.js';

class Lenient {
  @IsOptional() a?: unknown;
  @IsOptional() b?: unknown;
}

class MoreLenient extends Lenient {
  @IsOptional() c?: unknown;
}

class Typed {
  @IsOptional() a?: unknown;
  @IsOptional() @Type(() => Lenient) nested?: unknown;
}

class Transformed {
  @IsOptional() @Transform(({ value }) => String(value)) a?: unknown;
}

class Checked {
  @IsOptional() @IsString() a?: unknown;
}

class Undecorated {
  a?: unknown;
}

describe('pass-through DTOs', () => {
  const fast = createValidationPipe();
  // The same options without the shortcut: what class-transformer and class-validator make of it.
  const reference = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: false, validationError: { target: false, value: false } });

  it('are the classes whose every rule is IsOptional and that nothing transforms', () => {
    expect(passThroughFields(Lenient)).toEqual(['a', 'b']);
    expect([...passThroughFields(MoreLenient)!].sort()).toEqual(['a', 'b', 'c']);
    for (const other of [Typed, Transformed, Checked, Undecorated, String, Object, Array, undefined]) expect(passThroughFields(other)).toBeUndefined();
  });

  it('come out exactly as class-transformer and class-validator make them, for any JSON object', async () => {
    const key = fc.constantFrom('a', 'b', 'c', 'x', 'constructor', 'toString', 'hasOwnProperty');
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, fc.jsonValue({ maxDepth: 2 })), fc.constantFrom(Lenient, MoreLenient), async (value, metatype) => {
        const body = JSON.parse(JSON.stringify(value)) as object;
        const got = (await fast.transform(structuredClone(body), { type: 'body', metatype })) as object;
        const want = (await reference.transform(structuredClone(body), { type: 'body', metatype })) as object;
        expect(got).toBeInstanceOf(metatype);
        expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
        expect(JSON.stringify(got, Object.keys(got).sort())).toEqual(JSON.stringify(want, Object.keys(want).sort()));
        expect(got).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('leave anything but a plain object to the libraries', async () => {
    for (const value of [[{ a: 1 }], 'text', 7, null, undefined]) {
      const got = await fast.transform(value, { type: 'body', metatype: Lenient }).then((v) => ({ v }), (e: Error) => ({ e: e.constructor.name }));
      const want = await reference.transform(value, { type: 'body', metatype: Lenient }).then((v) => ({ v }), (e: Error) => ({ e: e.constructor.name }));
      if ('e' in want) expect('e' in got).toBe(true);
      else expect(got).toEqual(want);
    }
  });
});
