import { describe, expect, it } from 'vitest';
import {
  TEST_PERSONNUMMER,
  checkIdentityNumber,
  luhnValid,
  maskIdentityNumber,
} from '../engine/personnummer.ts';

const TODAY = '2025-06-01';

describe('luhnValid', () => {
  it('accepts 1212121212 (Tolvan): weights 2,1,… give 2+2+2+2+2+2+2+2+2 = 18, check = 10 - 8 = 2', () => {
    expect(luhnValid('1212121212')).toBe(true);
    expect(luhnValid('1212121213')).toBe(false);
  });

  it('accepts 3008077723: 6+0+0+8+0+7+(1+4)+7+4 = 37, check = 10 - 7 = 3', () => {
    expect(luhnValid('3008077723')).toBe(true);
    expect(luhnValid('3008077724')).toBe(false);
  });

  it('rejects empty and non-digit input', () => {
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('12a4')).toBe(false);
  });
});

describe('checkIdentityNumber: personnummer', () => {
  it('accepts all five written forms and normalises to YYYYMMDD-NNNN', () => {
    const expected = {
      ok: true,
      kind: 'personnummer',
      normalized: '19300807-7723',
      birthDate: '1930-08-07',
      sex: 'female',
    };
    for (const form of ['19300807-7723', '193008077723', '300807-7723', '3008077723']) {
      expect(checkIdentityNumber(form, TODAY)).toEqual(expected);
    }
    expect(checkIdentityNumber('121212+1212', TODAY)).toEqual({
      ok: true,
      kind: 'personnummer',
      normalized: '19121212-1212',
      birthDate: '1912-12-12',
      sex: 'male',
    });
  });

  it('accepts 12-digit forms without today', () => {
    expect(checkIdentityNumber('19121212-1212')).toMatchObject({ ok: true, normalized: '19121212-1212' });
  });

  it('rejects a wrong check digit', () => {
    expect(checkIdentityNumber('19121212-1213')).toEqual({ ok: false, reason: 'Kontrollsiffran stämmer inte' });
  });

  it('rejects an impossible date before looking at the checksum (30 February)', () => {
    // 230230-1235 is Luhn-valid, so the date is the only fault.
    expect(checkIdentityNumber('19230230-1235')).toEqual({ ok: false, reason: 'Ogiltigt datum' });
  });

  it('follows Gregorian leap years: 2000-02-29 exists, 1900-02-29 does not', () => {
    expect(checkIdentityNumber('20000229-2381')).toMatchObject({ ok: true, birthDate: '2000-02-29' });
    expect(checkIdentityNumber('19000229-2380')).toEqual({ ok: false, reason: 'Ogiltigt datum' });
  });

  it('rejects centuries other than 18, 19, 20', () => {
    expect(checkIdentityNumber('17121212-1212')).toEqual({ ok: false, reason: 'Ogiltigt sekel' });
    expect(checkIdentityNumber('99121212-1212')).toEqual({ ok: false, reason: 'Ogiltigt sekel' });
  });

  it('trims whitespace and accepts a typographic dash', () => {
    expect(checkIdentityNumber('  19121212-1212 \n')).toMatchObject({ ok: true, normalized: '19121212-1212' });
    expect(checkIdentityNumber('19121212\u20131212')).toMatchObject({ ok: true, normalized: '19121212-1212' });
  });

  it('rejects empty and unknown input', () => {
    expect(checkIdentityNumber('   ')).toEqual({ ok: false, reason: 'Inget nummer angivet' });
    expect(checkIdentityNumber('1912121-21212')).toEqual({ ok: false, reason: 'Okänt format' });
    expect(checkIdentityNumber('hello')).toEqual({ ok: false, reason: 'Okänt format' });
  });
});

describe('checkIdentityNumber: century of 10-digit forms', () => {
  it("'-' means under 100 this year, '+' means 100 or older", () => {
    expect(checkIdentityNumber('121212-1212', TODAY)).toMatchObject({ ok: true, normalized: '20121212-1212' });
    expect(checkIdentityNumber('121212+1212', TODAY)).toMatchObject({ ok: true, normalized: '19121212-1212' });
    expect(checkIdentityNumber('250101-2385', TODAY)).toMatchObject({ ok: true, normalized: '20250101-2385' });
    expect(checkIdentityNumber('250101+2385', TODAY)).toMatchObject({ ok: true, normalized: '19250101-2385' });
  });

  it('reads a missing separator as -', () => {
    expect(checkIdentityNumber('1212121212', TODAY)).toMatchObject({ ok: true, normalized: '20121212-1212' });
  });

  it('rejects a birth date later than today', () => {
    // 251231-2386 resolves to 2025-12-31, after 2025-06-01.
    expect(checkIdentityNumber('251231-2386', TODAY)).toEqual({ ok: false, reason: 'Födelsedatum i framtiden' });
    expect(checkIdentityNumber('20251231-2386', TODAY)).toEqual({ ok: false, reason: 'Födelsedatum i framtiden' });
    expect(checkIdentityNumber('20251231-2386')).toMatchObject({ ok: true });
  });

  it('requires today for 10-digit forms instead of guessing the century', () => {
    expect(checkIdentityNumber('121212-1212')).toEqual({ ok: false, reason: 'Sekel saknas – ange ÅÅÅÅMMDD-NNNN' });
    expect(checkIdentityNumber('121212+1212')).toEqual({ ok: false, reason: 'Sekel saknas – ange ÅÅÅÅMMDD-NNNN' });
  });

  it('throws on a malformed today', () => {
    expect(() => checkIdentityNumber('19121212-1212', '2025-02-30')).toThrow(RangeError);
    expect(() => checkIdentityNumber('19121212-1212', '20250601')).toThrow(RangeError);
  });
});

describe('checkIdentityNumber: samordningsnummer', () => {
  it("accepts Skatteverket's example 701063-2391 (man born 1970-10-03, day + 60)", () => {
    // 7,0,1,0,6,3,2,3,9 -> (1+4)+0+2+0+(1+2)+3+4+3+(1+8) = 29, check = 1.
    const expected = {
      ok: true,
      kind: 'samordningsnummer',
      normalized: '19701063-2391',
      birthDate: '1970-10-03',
      sex: 'male',
    };
    expect(checkIdentityNumber('19701063-2391')).toEqual(expected);
    expect(checkIdentityNumber('701063-2391', TODAY)).toEqual(expected);
  });

  it('rejects a wrong check digit', () => {
    expect(checkIdentityNumber('19701063-2392')).toEqual({ ok: false, reason: 'Kontrollsiffran stämmer inte' });
  });

  it('rejects day 92 and days 32-60 (701092-2396 is Luhn-valid)', () => {
    expect(checkIdentityNumber('701092-2396', TODAY)).toEqual({ ok: false, reason: 'Ogiltigt datum' });
    expect(checkIdentityNumber('701060-2391', TODAY)).toEqual({ ok: false, reason: 'Ogiltigt datum' });
  });

  it('rejects a samordningsnummer whose underlying date is impossible (30 + 60 in February)', () => {
    expect(checkIdentityNumber('19230290-1235')).toEqual({ ok: false, reason: 'Ogiltigt datum' });
  });
});

describe('checkIdentityNumber: reservnummer', () => {
  it('accepts nationellt reservid (NRID) with its ASCII-Luhn check digit', () => {
    expect(checkIdentityNumber('22950606-FH20')).toEqual({
      ok: true,
      kind: 'reservnummer',
      normalized: '22950606FH20',
      birthDate: '1995-06-06', // 22 = 19 + 3
      sex: 'female',
    });
    expect(checkIdentityNumber('25780404KHD5')).toMatchObject({ ok: true, birthDate: '1978-04-04', sex: null });
    expect(checkIdentityNumber('00342145BZ31')).toMatchObject({ ok: true, birthDate: null, sex: 'male' });
  });

  it('rejects NRID with a wrong check digit, a forbidden letter or a reserved century', () => {
    expect(checkIdentityNumber('22950606FH21')).toEqual({ ok: false, reason: 'Kontrollsiffran stämmer inte' });
    expect(checkIdentityNumber('22950606FI20')).toEqual({ ok: false, reason: 'Okänt format' });
    expect(checkIdentityNumber('12950606FH20')).toEqual({ ok: false, reason: 'Ogiltigt sekel' });
    expect(checkIdentityNumber('19950606FH20')).toEqual({ ok: false, reason: 'Okänt format' });
  });

  it('accepts Region Stockholm 99yyyyNNNNNC under either documented Luhn span', () => {
    // Inera example: Luhn over positions 5-12 ("81000010").
    expect(checkIdentityNumber('991981000010')).toEqual({
      ok: true,
      kind: 'reservnummer',
      normalized: '991981000010',
      birthDate: null,
      sex: 'male',
    });
    // PU test data: Luhn over positions 3-12 ("2004391013").
    expect(checkIdentityNumber('992004391013')).toMatchObject({ ok: true, kind: 'reservnummer' });
  });

  it('rejects Region Stockholm numbers with a bad check digit or an issue year before 1980', () => {
    expect(checkIdentityNumber('991981000011')).toEqual({ ok: false, reason: 'Kontrollsiffran stämmer inte' });
    expect(checkIdentityNumber('991970000010')).toEqual({ ok: false, reason: 'Okänt format' });
  });

  it('accepts VGR yyyymmddGggC with K=5, M=7, X=8 in the Luhn sum', () => {
    expect(checkIdentityNumber('19810829M071')).toEqual({
      ok: true,
      kind: 'reservnummer',
      normalized: '19810829M071',
      birthDate: '1981-08-29',
      sex: 'male',
    });
    expect(checkIdentityNumber('19450829-k088')).toMatchObject({ ok: true, normalized: '19450829K088', sex: 'female' });
    expect(checkIdentityNumber('19930829X802')).toMatchObject({ ok: true, sex: null });
  });

  it('rejects VGR with a bad check digit, sex letter/serial mismatch or impossible date', () => {
    expect(checkIdentityNumber('19810829M072')).toEqual({ ok: false, reason: 'Kontrollsiffran stämmer inte' });
    expect(checkIdentityNumber('19810829K071')).toEqual({ ok: false, reason: 'Okänt format' });
    expect(checkIdentityNumber('19810229M071')).toEqual({ ok: false, reason: 'Ogiltigt datum' });
  });

  it('accepts Värmland yyyymmddSBNC; birth date only for type F', () => {
    expect(checkIdentityNumber('19810829SU3A')).toMatchObject({ ok: true, birthDate: null, sex: 'male' });
    expect(checkIdentityNumber('19450829SF2B')).toMatchObject({ ok: true, birthDate: '1945-08-29', sex: 'female' });
    expect(checkIdentityNumber('19930829SX0C')).toMatchObject({ ok: true, sex: null });
    expect(checkIdentityNumber('19810230SU3A')).toEqual({ ok: false, reason: 'Ogiltigt datum' });
  });

  it('accepts Inera Carelink yyyymmxxNNNC (day 32-59) and checks its Luhn digit', () => {
    expect(checkIdentityNumber('198108320014')).toEqual({
      ok: true,
      kind: 'reservnummer',
      normalized: '198108320014',
      birthDate: null,
      sex: null,
    });
    expect(checkIdentityNumber('198108320015')).toEqual({ ok: false, reason: 'Kontrollsiffran stämmer inte' });
  });

  it('accepts regional date + LLdL (Skåne, Blekinge, Sörmland, Örebro), Västernorrland and Sörmland placeholders', () => {
    expect(checkIdentityNumber('20200501-AA8A')).toMatchObject({ ok: true, normalized: '20200501AA8A', birthDate: null });
    expect(checkIdentityNumber('19810829TB1F')).toMatchObject({ ok: true, kind: 'reservnummer' });
    expect(checkIdentityNumber('20100101014R')).toMatchObject({ ok: true, kind: 'reservnummer' });
    expect(checkIdentityNumber('18500101N123')).toMatchObject({ ok: true, kind: 'reservnummer' });
    expect(checkIdentityNumber('810829DA1B', TODAY)).toMatchObject({ ok: true, normalized: '19810829DA1B' });
  });

  it('rejects regional formats with impossible dates, unknown tails or a missing century', () => {
    expect(checkIdentityNumber('19810229DA1B')).toEqual({ ok: false, reason: 'Ogiltigt datum' });
    expect(checkIdentityNumber('17810829DA1B')).toEqual({ ok: false, reason: 'Ogiltigt sekel' });
    expect(checkIdentityNumber('19810829A1B2')).toEqual({ ok: false, reason: 'Okänt format' });
    expect(checkIdentityNumber('18500101N000')).toEqual({ ok: false, reason: 'Okänt format' });
    expect(checkIdentityNumber('810829DA1B')).toEqual({ ok: false, reason: 'Sekel saknas – ange ÅÅÅÅMMDD-NNNN' });
  });

  it('never reports a reservnummer as personnummer, nor a mistyped personnummer as reservnummer', () => {
    for (const r of ['22950606FH20', '991981000010', '19810829M071', '19810829SU3A', '198108320014', '20200501AA8A']) {
      expect(checkIdentityNumber(r)).toMatchObject({ ok: true, kind: 'reservnummer' });
    }
    // Day typo 07 -> 37 in 19300807-7723 lands in the Carelink range; Luhn still catches it.
    expect(checkIdentityNumber('19300837-7723')).toEqual({ ok: false, reason: 'Kontrollsiffran stämmer inte' });
  });
});

describe('maskIdentityNumber', () => {
  it('keeps only the birth date part of a personnummer', () => {
    expect(maskIdentityNumber('19121212-1212')).toBe('19121212-****');
  });

  it('keeps the date part of dated reservnummer and only the prefix otherwise', () => {
    expect(maskIdentityNumber('22950606FH20')).toBe('22950606****');
    expect(maskIdentityNumber('991981000010')).toBe('991981******');
    expect(maskIdentityNumber('00342145BZ31')).toBe('00**********');
  });

  it('fully masks unrecognised input', () => {
    expect(maskIdentityNumber('abc 12')).toBe('*** **');
  });
});

describe('TEST_PERSONNUMMER', () => {
  it('holds at least 12 unique, frozen entries', () => {
    expect(TEST_PERSONNUMMER.length).toBeGreaterThanOrEqual(12);
    expect(new Set(TEST_PERSONNUMMER).size).toBe(TEST_PERSONNUMMER.length);
    expect(Object.isFrozen(TEST_PERSONNUMMER)).toBe(true);
  });

  it.each(TEST_PERSONNUMMER)('%s is a valid, already normalised personnummer', (pnr) => {
    const result = checkIdentityNumber(pnr, TODAY);
    expect(result).toMatchObject({ ok: true, kind: 'personnummer', normalized: pnr });
  });

  it('spans birth years 1930-2010 and both sexes', () => {
    const years = TEST_PERSONNUMMER.map((p) => Number(p.slice(0, 4)));
    expect(Math.min(...years)).toBeGreaterThanOrEqual(1930);
    expect(Math.max(...years)).toBeLessThanOrEqual(2010);
    expect(new Set(years.map((y) => Math.floor(y / 10))).size).toBeGreaterThanOrEqual(7);
    const sexes = TEST_PERSONNUMMER.map((p) => {
      const r = checkIdentityNumber(p);
      return r.ok ? r.sex : null;
    });
    expect(sexes).toContain('female');
    expect(sexes).toContain('male');
  });
});
