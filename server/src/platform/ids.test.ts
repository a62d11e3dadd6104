import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { mainlandCheckChar, maskDocument, parseDocument, parseMainlandId, parseMobile } from './ids.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as AppError).code;
  }
  return 'OK';
};

describe('GB 11643 mainland ID', () => {
  it('accepts the standard example and derives birth date and sex', () => {
    // The worked example of GB 11643-1999: 11010519491231002X (female, born 1949-12-31).
    const f = parseMainlandId('11010519491231002x');
    expect(f).toEqual({ normalized: '11010519491231002X', region: '110105', birthDate: '1949-12-31', sex: 'female' });
  });

  it('computes the check character including X', () => {
    expect(mainlandCheckChar('11010519491231002')).toBe('X');
    expect(mainlandCheckChar('44052418800101001')).toBe('4');
  });

  it('rejects each kind of bad number with its own code', () => {
    expect(code(() => parseMainlandId('1101051949123100'))).toBe('RESIDENT_ID_FORMAT');
    expect(code(() => parseMainlandId('11010519491231002A'))).toBe('RESIDENT_ID_FORMAT');
    expect(code(() => parseMainlandId('11010519491231002Y'))).toBe('RESIDENT_ID_FORMAT');
    expect(code(() => parseMainlandId('110105194912310021'))).toBe('RESIDENT_ID_CHECKSUM');
    expect(code(() => parseMainlandId('990105194912310021'))).toBe('RESIDENT_ID_REGION');
    expect(code(() => parseMainlandId('110105194902300021'))).toBe('RESIDENT_ID_BIRTH_DATE'); // 30 February
    const future = `110105${new Date().getFullYear() + 1}0101002`;
    expect(code(() => parseMainlandId(future + mainlandCheckChar(future)))).toBe('RESIDENT_ID_BIRTH_DATE');
  });

  it('names the field and gives both languages', () => {
    try {
      parseMainlandId('110105194912310021', 'idNumber');
      expect.unreachable();
    } catch (e) {
      const err = e as AppError;
      expect(err.field).toBe('idNumber');
      expect(err.messages()['zh-CN']).toContain('校验位');
      expect(err.messages()['en-US']).toContain('expected X');
    }
  });
});

describe('other documents and phones', () => {
  it('validates passports and permits', () => {
    expect(parseDocument('passport', 'm 1234 5678').number).toBe('M12345678');
    expect(code(() => parseDocument('passport', 'AB'))).toBe('RESIDENT_PASSPORT_FORMAT');
    expect(parseDocument('hk_macau_permit', 'h12345678').number).toBe('H12345678');
    expect(code(() => parseDocument('hk_macau_permit', 'X12345678'))).toBe('RESIDENT_HK_MACAU_FORMAT');
    expect(parseDocument('taiwan_permit', '12345678').number).toBe('12345678');
    expect(code(() => parseDocument('taiwan_permit', '1234'))).toBe('RESIDENT_TAIWAN_FORMAT');
  });

  it('masks', () => {
    expect(maskDocument('mainland_id', '11010519491231002X')).toBe('110105********002X');
    expect(maskDocument('passport', 'E12345678')).toBe('E1*****78');
  });

  it('normalises mainland mobiles', () => {
    expect(parseMobile('+86 138-1234-5678')).toBe('13812345678');
    expect(code(() => parseMobile('12812345678'))).toBe('RESIDENT_PHONE_FORMAT');
    expect(code(() => parseMobile('1381234567'))).toBe('RESIDENT_PHONE_FORMAT');
  });
});
