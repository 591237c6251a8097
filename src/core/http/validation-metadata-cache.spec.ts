import 'reflect-metadata';
import { getMetadataStorage, IsInt, IsString, validateSync } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache.js';

class Base {
  @IsString()
  name!: unknown;
}

class Child extends Base {
  @IsInt()
  age!: unknown;
}

const failing = (value: object): string[] => validateSync(value).map((e) => e.property).sort();

describe('cached class-validator metadata', () => {
  beforeAll(() => cacheValidationMetadata());

  it('keeps own and inherited rules, the same on every call', () => {
    const bad = Object.assign(new Child(), { name: 5, age: 'x' });
    for (let i = 0; i < 3; i++) expect(failing(bad)).toEqual(['age', 'name']);
    expect(failing(Object.assign(new Child(), { name: 'a', age: 1 }))).toEqual([]);
  });

  it('answers a repeated look-up from memory', () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Child, '', false, false);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false)).toBe(first);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false, ['other'])).not.toBe(first);
  });

  it('forgets what it knew when a rule is registered later', () => {
    expect(failing(Object.assign(new Child(), { name: 'a', age: 1, nick: 3 }))).toEqual([]);
    IsString()(Child.prototype, 'nick');
    expect(failing(Object.assign(new Child(), { name: 'a', age: 1, nick: 3 }))).toEqual(['nick']);
  });
});
