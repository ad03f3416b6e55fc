// Swedish patient identity numbers: personnummer, samordningsnummer, reservnummer.
// Pure module (no I/O, no clock): pass `today` to resolve centuries and reject future dates.
//
// Sources:
// - Personnummer: Skatteverket SKV 704; Luhn mod 10 over YYMMDDNNNC; '+' from the year the person turns 100.
// - Samordningsnummer: Skatteverket SKV 707 / SKV M 2010:3 (day + 60, same check digit rule).
//   https://www.faronline.se/dokument/skatteverket/meddelanden/2010_2013/skvm20100003/
// - Reservnummer: see RESERVNUMMER below.

/** Calendar date 'YYYY-MM-DD' (same shape as LocalDate in calendar.ts). */
type LocalDate = string;

export type IdentityKind = 'personnummer' | 'samordningsnummer' | 'reservnummer';
export type IdentityCheck =
  | { ok: true; kind: IdentityKind; normalized: string; birthDate: string | null; sex: 'female' | 'male' | null }
  | { ok: false; reason: string };

type Sex = 'female' | 'male' | null;
type Ymd = { y: number; m: number; d: number };

const REASON = {
  empty: 'Inget nummer angivet',
  format: 'Okänt format',
  date: 'Ogiltigt datum',
  century: 'Ogiltigt sekel',
  checksum: 'Kontrollsiffran stämmer inte',
  future: 'Födelsedatum i framtiden',
  needCentury: 'Sekel saknas – ange ÅÅÅÅMMDD-NNNN',
} as const;

const fail = (reason: string): IdentityCheck => ({ ok: false, reason });

/** Standard Luhn (mod 10); the last digit is the check digit. Digits only. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// Luhn variant for NRID: a letter counts as its ASCII code, and the decimal digits of each
// (possibly doubled) value are summed. 'A' -> 65, doubled 130 -> 1+3+0.
function luhnAsciiValid(text: string): boolean {
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(text.length - 1 - i);
    let v = ch >= '0' && ch <= '9' ? Number(ch) : ch.charCodeAt(0);
    if (i % 2 === 1) v *= 2;
    for (const c of String(v)) sum += Number(c);
  }
  return sum % 10 === 0;
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function isRealDate(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || m < 1 || m > 12 || d < 1) return false;
  const days = [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return d <= days;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const iso = ({ y, m, d }: Ymd): string => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

function parseToday(today: LocalDate): Ymd {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  const ymd = m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : null;
  if (!ymd || !isRealDate(ymd.y, ymd.m, ymd.d)) throw new RangeError(`Invalid LocalDate for today: ${today}`);
  return ymd;
}

const isFuture = (date: Ymd, today: Ymd | null): boolean => today !== null && iso(date) > iso(today);

/**
 * Century for a 10-digit number. '-' (or no separator): the person is under 100 this calendar
 * year, so the year lies in (today.y - 100, today.y]. '+': 100 or older, so (today.y - 200, today.y - 100].
 */
function resolveYear(yy: number, sep: string, today: Ymd): number {
  const base = sep === '+' ? today.y - 100 : today.y;
  return base - ((((base - yy) % 100) + 100) % 100);
}

const sexFromDigit = (digit: string): Sex => (Number(digit) % 2 === 0 ? 'female' : 'male');

// Personnummer or samordningsnummer with a known four-digit year.
function checkPersonal(year: number, mm: string, dd: string, tail: string, today: Ymd | null): IdentityCheck {
  const month = Number(mm);
  const rawDay = Number(dd);
  const kind: IdentityKind = rawDay >= 61 && rawDay <= 91 ? 'samordningsnummer' : 'personnummer';
  const day = kind === 'samordningsnummer' ? rawDay - 60 : rawDay;
  if (!isRealDate(year, month, day)) return fail(REASON.date);
  if (!luhnValid(`${pad(year % 100)}${mm}${dd}${tail}`)) return fail(REASON.checksum);
  const birth = { y: year, m: month, d: day };
  if (isFuture(birth, today)) return fail(REASON.future);
  return {
    ok: true,
    kind,
    normalized: `${pad(year, 4)}${mm}${dd}-${tail}`,
    birthDate: iso(birth),
    sex: sexFromDigit(tail.charAt(2)),
  };
}

const PERSONAL_CENTURIES = new Set(['18', '19', '20']); // SKV 704: century digits 18, 19 or 20

/*
 * RESERVNUMMER (not nationally standardised; each issuer has its own format).
 * All are normalised to their 12-character transfer form without separator (Inera: "Inga
 * tilläggstecken såsom '-' skall användas"). None can be a personnummer: each has letters, a
 * prefix outside the centuries 18–20, or a day 32–59.
 *
 * 1. Nationellt reservid (NRID, OID 1.2.752.74.9.1) XXYYMMDDNNGC.
 *    XX = birth century + 3k (19->22,25,..,97; 20->23,26,..,98) or 00 = unknown date (MM 20-99, DD 40-59);
 *    NN letters A-Z except IOQVW; G sex digit (even female) or such a letter = unknown; C Luhn over
 *    all 12 characters with letters as ASCII codes.
 *    Sources: "Nationellt Reservidformat", https://confluence.cgiostersund.se/display/PU/Nationellt+Reservidformat
 *    (Inera spec "Nationellt_ReservID_-_specifikation_1.0.pdf"); check digit rule as quoted in
 *    github.com/tbillas/SwedishIdentifier NationalReserveNumberFormatter.cs; example 22950606-FH20 from
 *    HL7 Sweden basprofiler (input/fsh/invariants/PatientIdentifierConformancePatternSE.fsh).
 * 2. Region Stockholm (SLL, OID 1.2.752.97.3.1.3) 99yyyyNNNNNC, yyyy 1980-2299 (year of issue), digit 11
 *    odd/even by sex. Inera "Lokala Reservidn" (inera.atlassian.net/wiki, pageId 3353227890, v5):
 *    Luhn over positions 5-12 (examples 991981000010, 991945000023). PU test data
 *    (github.com/KentorIT/PU-Adapter TestData/Testpersonnummer.cs: 992004391013) instead passes Luhn
 *    over positions 3-12, so either variant is accepted. Sex rule: vardgivarguiden.se,
 *    "Reservnummer" (administration/patientadministration/patientnara-rutiner/reservnummer).
 * 3. Västra Götalandsregionen (VGR) yyyymmddGggC, real date; G K/M/X (female/male/unknown);
 *    gg 06-79 (even K, odd M) or 80-89 (X); C Luhn over positions 3-12 with K=5, M=7, X=8
 *    (Inera "Lokala Reservidn", corrected examples 19810829M071, 19450829K088).
 * 4. Värmland (LiV) yyyymmddSBNC, real date; B F/U/X/P/L (F = known birth date); N sex digit
 *    (2,4,6,8 female; 3,5,7,9 male; 0,1 unknown); C letter A-Z except V, no check digit
 *    (test-environment digits 1-9 are rejected). Source: Inera "Lokala Reservidn".
 * 5. Inera Carelink yyyymmxxNNNC, xx 32-59, Luhn over positions 3-12 (Inera "Lokala Reservidn",
 *    example 198108320014).
 * 6. Date + LLdL (two letters, digit, letter), real date, century 18-21, no check digit: Region Skåne
 *    (also YYMMDD form; vardgivare.skane.se/it/it-stod-och-tjanster-a-o/priva/filspecifikation),
 *    Blekinge, Sörmland, Örebro (…T[A-Z]\d[A-J]). Source: HL7 Sweden basprofiler invariants (above).
 * 7. Västernorrland yyyymmddNNNR and Sörmland 18500101/18600101 + [MNKP]NNN (HL7 Sweden invariants).
 * Formats 6-7 give no birth date or sex: their semantics are not documented in the sources.
 */

const NRID_LETTER = 'A-HJ-NPR-UX-Z'; // A-Z without I, O, Q, V, W

function ok(normalized: string, birth: Ymd | null, sex: Sex, today: Ymd | null): IdentityCheck {
  if (birth && isFuture(birth, today)) return fail(REASON.future);
  return { ok: true, kind: 'reservnummer', normalized, birthDate: birth ? iso(birth) : null, sex };
}

function checkSll(s: string, today: Ymd | null): IdentityCheck {
  const year = Number(s.slice(2, 6));
  if (year < 1980 || year > 2299) return fail(REASON.format);
  if (!luhnValid(s.slice(4)) && !luhnValid(s.slice(2))) return fail(REASON.checksum);
  return ok(s, null, sexFromDigit(s.charAt(10)), today);
}

function checkCarelink(s: string, today: Ymd | null): IdentityCheck {
  const month = Number(s.slice(4, 6));
  if (month < 1 || month > 12) return fail(REASON.date);
  if (!luhnValid(s.slice(2))) return fail(REASON.checksum);
  return ok(s, null, null, today);
}

function dateOf(head: string): Ymd | null {
  const ymd = { y: Number(head.slice(0, 4)), m: Number(head.slice(4, 6)), d: Number(head.slice(6, 8)) };
  return isRealDate(ymd.y, ymd.m, ymd.d) ? ymd : null;
}

function checkNrid(head: string, tail: string, today: Ymd | null): IdentityCheck {
  const s = head + tail;
  const xx = Number(head.slice(0, 2));
  let birth: Ymd | null = null;
  if (xx === 0) {
    const mm = Number(head.slice(4, 6));
    const dd = Number(head.slice(6, 8));
    if (mm < 20 || dd < 40 || dd > 59) return fail(REASON.format);
  } else {
    if (xx < 22 || xx > 98 || xx % 3 === 0) return fail(REASON.century); // xx % 3 === 0 would be the 1800s
    const century = xx % 3 === 1 ? 19 : 20;
    birth = dateOf(`${century}${head.slice(2)}`);
    if (!birth) return fail(REASON.date);
  }
  if (!luhnAsciiValid(s)) return fail(REASON.checksum);
  const g = tail.charAt(2);
  return ok(s, birth, /\d/.test(g) ? sexFromDigit(g) : null, today);
}

function checkVgr(head: string, tail: string, today: Ymd | null): IdentityCheck {
  if (!PERSONAL_CENTURIES.has(head.slice(0, 2))) return fail(REASON.century);
  const birth = dateOf(head);
  if (!birth) return fail(REASON.date);
  const g = tail.charAt(0);
  const gg = Number(tail.slice(1, 3));
  const serialOk =
    g === 'X' ? gg >= 80 && gg <= 89 : gg >= 6 && gg <= 79 && (gg % 2 === 0) === (g === 'K');
  if (!serialOk) return fail(REASON.format);
  const digits = `${head.slice(2)}${{ K: '5', M: '7', X: '8' }[g as 'K' | 'M' | 'X']}${tail.slice(1)}`;
  if (!luhnValid(digits)) return fail(REASON.checksum);
  const sex: Sex = g === 'K' ? 'female' : g === 'M' ? 'male' : null;
  return ok(head + tail, birth, sex, today);
}

function checkVarmland(head: string, tail: string, today: Ymd | null): IdentityCheck {
  const date = dateOf(head);
  if (!date) return fail(REASON.date);
  const n = Number(tail.charAt(2));
  const sex: Sex = n >= 2 ? sexFromDigit(String(n)) : null;
  return ok(head + tail, tail.charAt(1) === 'F' ? date : null, sex, today);
}

function checkDatedRegional(head: string, tail: string): IdentityCheck {
  if (!['18', '19', '20', '21'].includes(head.slice(0, 2))) return fail(REASON.century);
  if (!dateOf(head)) return fail(REASON.date);
  return { ok: true, kind: 'reservnummer', normalized: head + tail, birthDate: null, sex: null };
}

// Eight digits + four characters with at least one letter.
function checkAlnum(head: string, tail: string, today: Ymd | null): IdentityCheck {
  // Sörmland placeholder dates first: their M/K tails would otherwise look like VGR.
  if (/^(18500101|18600101)$/.test(head) && /^[MNKP]\d{3}$/.test(tail)) {
    return tail.endsWith('000') ? fail(REASON.format) : checkDatedRegional(head, tail);
  }
  if (/^[KMX]\d{3}$/.test(tail)) return checkVgr(head, tail, today);
  if (/^S[FUXPL]\d[A-UW-Z]$/.test(tail)) return checkVarmland(head, tail, today);
  if (new RegExp(`^[${NRID_LETTER}]{2}[0-9${NRID_LETTER}]\\d$`).test(tail) && !/^(18|19|20|21)/.test(head)) {
    return checkNrid(head, tail, today);
  }
  if (/^[A-Z]{2}\d[A-Z]$/.test(tail) || /^\d{3}R$/.test(tail)) return checkDatedRegional(head, tail);
  return fail(REASON.format);
}

function cleanInput(input: string): string {
  // Trim, uppercase, and map typographic dashes (U+2010-U+2015, U+2212) to '-'.
  return input.trim().toUpperCase().replace(/[\u2010-\u2015\u2212]/g, '-');
}

/**
 * Validates and normalises a Swedish patient identity number.
 * - Personnummer/samordningsnummer: YYYYMMDD-NNNN, YYYYMMDDNNNN, YYMMDD-NNNN, YYMMDDNNNN, YYMMDD+NNNN;
 *   normalised to YYYYMMDD-NNNN. With a century the separator is ignored.
 * - 10-digit forms need `today` (YYYY-MM-DD) to resolve the century; without it they are rejected
 *   rather than guessed. No separator is read as '-'.
 * - Reservnummer: see RESERVNUMMER; normalised to 12 characters without separator.
 * - With `today`, birth dates after today are rejected. Throws RangeError if `today` is malformed.
 */
export function checkIdentityNumber(input: string, today?: LocalDate): IdentityCheck {
  const t = today === undefined ? null : parseToday(today);
  const s = cleanInput(input);
  if (s === '') return fail(REASON.empty);

  let m = /^(\d{2})(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$/.exec(s);
  if (m) {
    const [, cc = '', , mm = '', dd = '', sep = '', tail = ''] = m;
    if (cc === '99' && sep === '') return checkSll(s, t);
    if (!PERSONAL_CENTURIES.has(cc)) return fail(REASON.century);
    const day = Number(dd);
    if (day >= 32 && day <= 59 && sep !== '+') return checkCarelink(s.replace('-', ''), t);
    return checkPersonal(Number(s.slice(0, 4)), mm, dd, tail, t);
  }

  m = /^(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$/.exec(s);
  if (m) {
    const [, yy = '', mm = '', dd = '', sep = '', tail = ''] = m;
    if (!t) return fail(REASON.needCentury);
    return checkPersonal(resolveYear(Number(yy), sep, t), mm, dd, tail, t);
  }

  m = /^(\d{8})-?([0-9A-Z]{4})$/.exec(s);
  if (m && /[A-Z]/.test(m[2] ?? '')) return checkAlnum(m[1] ?? '', m[2] ?? '', t);

  // Region Skåne short form: YYMMDD + LLdL.
  m = /^(\d{6})-?([A-Z]{2}\d[A-Z])$/.exec(s);
  if (m) {
    const [, ymd = '', tail = ''] = m;
    if (!t) return fail(REASON.needCentury);
    const year = resolveYear(Number(ymd.slice(0, 2)), '-', t);
    return checkDatedRegional(`${pad(year, 4)}${ymd.slice(2)}`, tail);
  }

  return fail(REASON.format);
}

/**
 * Masks a normalised number so that only the birth date part (or a non-identifying prefix) shows:
 * '19121212-1212' -> '19121212-****'. Unrecognised input is fully masked.
 */
export function maskIdentityNumber(normalized: string): string {
  const s = normalized.trim();
  const star = (keep: number): string => s.slice(0, keep) + s.slice(keep).replace(/[0-9A-Za-z]/g, '*');
  if (/^\d{8}[-+][0-9A-Z]{4}$/.test(s)) return star(9);
  if (/^99\d{10}$/.test(s)) return star(6); // SLL: '99' + year of issue
  if (/^00\d{6}[0-9A-Z]{4}$/.test(s)) return star(2); // NRID without birth date
  if (/^\d{8}[0-9A-Z]{4}$/.test(s)) return star(8);
  return s.replace(/[^\s]/g, '*');
}

/*
 * Test personnummer for demos and fixtures. Skatteverket publishes formally valid numbers that are
 * never assigned to real people ("Testpersonnummer", dataportal.se/sv/datasets/6_67959/testpersonnummer,
 * API skatteverket.entryscape.net/rowstore/dataset/b4de7df7-63c0-4e7e-bb59-1f156a591763; described on
 * statenspersonadressregister.se "Kundtestmiljö"). The dataset itself was not reachable here; entries are
 * taken from public copies of it: github.com/KentorIT/PU-Adapter TestData/Testpersonnummer.cs
 * ("Testpersonnummer från skatteverket") and github.com/ullenius/pnummer test.sh (200306062381,
 * 200607092384, 200802122390). Each passes checkIdentityNumber (see test/personnummer.test.ts).
 * The classic 19121212-1212 "Tolvan Tolvansson" is Inera's PU test person (born 1912, left out here).
 */
export const TEST_PERSONNUMMER: readonly string[] = Object.freeze([
  '19300807-7723', // female
  '19380502-8432', // male
  '19400107-9120', // female
  '19450202-4732', // male
  '19510203-1753', // male
  '19570218-2568', // female
  '19620108-2697', // male
  '19710301-1032', // male
  '19790717-9191', // male
  '19870521-2382', // female
  '19900125-2387', // female
  '19950424-2398', // male
  '19991228-2382', // female
  '20030606-2381', // female
  '20060709-2384', // female
  '20080212-2390', // male
]);
