import { maskPhone, parsePhone } from './phone-number.js';

describe('phone numbers', () => {
  it('normalises to international digits and validates strictly', () => {
    expect(parsePhone('+380 99 123 2322')).toEqual({ digits: '380991232322', e164: '+380991232322', country: 'UA', callingCodeLength: 3 });
    expect(parsePhone('14155552671')?.country).toBe('US');
    expect(parsePhone('+1 415 555')).toBeNull();
    expect(parsePhone('not a number')).toBeNull();
    expect(parsePhone('+999123456789')).toBeNull();
  });

  it('masks all but the country code and the last four digits', () => {
    expect(maskPhone('380991232322')).toBe('380*****2322');
    expect(maskPhone('14155552671')).toBe('1******2671');
  });
});
