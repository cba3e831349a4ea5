import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AgencyRegisterDataSchema,
  AgencyRegisterFormatError,
  buildAgencyRegister,
  checkAgency,
  fuzzyLimit,
  isIsoDate,
  matchAgency,
  parseAgencyCsv,
  type AgencyEntry,
  type AgencyRegister,
} from '../../src/reports/agencyRegister.js';
import { restrictedDamerauLevenshtein } from '../../src/reports/editDistance.js';
import { companyKey } from '../../src/reports/recruiter.js';

const HEADER = 'name,licence_number,valid_until,province';

function entry(name: string, licence: string, validUntil = '2030-12-31', province = 'Jawa Timur'): AgencyEntry {
  return { name, licence, validUntil, province };
}

function register(entries: AgencyEntry[], importedAt = '2026-03-01'): AgencyRegister {
  return buildAgencyRegister({ importedAt, entries });
}

describe('parseAgencyCsv', () => {
  it('loads the good rows and reports the bad ones by line', () => {
    const text = [
      HEADER, // 1
      'PT Contoh Satu,LIC-001,2030-01-31,Jawa Timur', // 2 good
      'PT Contoh Dua,LIC-002,2030-01-31', // 3 a column missing
      'PT Contoh Tiga,LIC-003,31/12/2030,Bali', // 4 date in another format
      'PT Contoh Empat,LIC-004,2030-02-30,Bali', // 5 no such day
      'PT Contoh Lima,lic-001,2031-01-01,Bali', // 6 duplicate licence (case)
      ',LIC-006,2030-01-01,Bali', // 7 no name
      'PT Contoh Tujuh,,2030-01-01,Bali', // 8 no licence
      'PT.,LIC-008,2030-01-01,Bali', // 9 a legal form only
      'PT Contoh, Sembilan,LIC-009,2030-01-01,Bali', // 10 unquoted comma
      '"PT Contoh Sepuluh, Tbk",LIC-010,2030-01-01,', // 11 good: quoted comma, empty province
      'PT Contoh Sebelas,LIC 002,2030-01-01,Bali', // 12 duplicate of line 3? no: line 3 never loaded
      'PT Contoh Dua Belas,LIC-001 ,2030-01-01,Bali', // 13 duplicate of line 2 (spaces)
      'PT Contoh Tiga Belas,LIC-013,,Bali', // 14 no date
    ].join('\n');
    const { entries, problems } = parseAgencyCsv(text);
    expect(entries.map((e) => e.licence)).toEqual(['LIC-001', 'LIC-010', 'LIC 002']);
    expect(entries[1]).toEqual({ name: 'PT Contoh Sepuluh, Tbk', licence: 'LIC-010', validUntil: '2030-01-01', province: '' });
    expect(problems.map((p) => [p.line, p.code])).toEqual([
      [3, 'field_count'],
      [4, 'bad_date'],
      [5, 'bad_date'],
      [6, 'duplicate_licence'],
      [7, 'missing_name'],
      [8, 'missing_licence'],
      [9, 'name_is_legal_form'],
      [10, 'field_count'],
      [13, 'duplicate_licence'],
      [14, 'bad_date'],
    ]);
    expect(problems.find((p) => p.line === 6)?.message).toContain('line 2');
  });

  it('tolerates a BOM, CRLF, white space, other column orders, extra columns and trailing commas', () => {
    const text =
      '\uFEFF Province , Licence Number, NAME ,valid_until, notes\r\n' +
      ' Bali ,  LIC-1 , "PT Maju,  Jaya" , 2030-01-31 , ok,\r\n' +
      '\r\n' +
      'NTB,LIC-2,CV Abadi,2029-12-31,,,\r\n';
    const { entries, problems } = parseAgencyCsv(text);
    expect(problems).toEqual([]);
    expect(entries).toEqual([entry('PT Maju, Jaya', 'LIC-1', '2030-01-31', 'Bali'), entry('CV Abadi', 'LIC-2', '2029-12-31', 'NTB')]);
  });

  it('accepts the American spelling of the licence column and semicolon files', () => {
    const { entries } = parseAgencyCsv('name;license_number;valid_until;province\nPT A;L-1;2030-01-01;Aceh\n');
    expect(entries).toEqual([entry('PT A', 'L-1', '2030-01-01', 'Aceh')]);
  });

  it('reports a quote left open, with the line it starts on', () => {
    const { entries, problems } = parseAgencyCsv(`${HEADER}\nPT A,L-1,2030-01-01,Bali\n"PT B,L-2,2030-01-01,Bali\nPT C,L-3,2030-01-01,Bali\n`);
    expect(entries.map((e) => e.licence)).toEqual(['L-1']);
    expect(problems).toMatchObject([{ line: 3, code: 'unterminated_quote' }]);
  });

  it.each([
    ['an empty file', ''],
    ['only comments', '# nothing here\n'],
    ['a header without licence_number', 'name,valid_until,province\nPT A,2030-01-01,Bali'],
    ['no header at all', 'PT A,L-1,2030-01-01,Bali\n'],
    ['a column twice', 'name,licence_number,valid_until,province,name\n'],
  ])('refuses %s as a whole', (_, text) => {
    expect(() => parseAgencyCsv(text)).toThrow(AgencyRegisterFormatError);
  });

  it('names the missing columns and the header line', () => {
    expect(() => parseAgencyCsv('# c\nname,province\n')).toThrow(/Line 2.*missing: licence_number, valid_until/);
  });

  it('reads the example file shipped in the repository, which says it is an example', () => {
    const text = readFileSync(new URL('../../examples/agencies.example.csv', import.meta.url), 'utf8');
    const { entries, problems } = parseAgencyCsv(text);
    expect(problems).toEqual([]);
    expect(entries.length).toBeGreaterThanOrEqual(5);
    expect(entries.length).toBeLessThanOrEqual(8);
    expect(text.split('\n')[0]).toMatch(/^# EXAMPLE ONLY/);
    for (const e of entries) {
      expect(e.name).toContain('Contoh');
      expect(e.licence).toMatch(/^CONTOH-/);
    }
  });
});

describe('isIsoDate', () => {
  it.each(['2030-01-31', '2028-02-29', '2000-02-29'])('%s is a date', (d) => expect(isIsoDate(d)).toBe(true));
  it.each(['2030-02-29', '2030-13-01', '2030-00-10', '2030-1-5', '31/12/2030', '2030-01-31T00:00', ''])('%s is not', (d) =>
    expect(isIsoDate(d)).toBe(false),
  );
});

describe('matching an agency name', () => {
  const both = register([
    entry('PT Maju Jaya', 'L-JAYA'),
    entry('PT Maju Raya', 'L-RAYA'),
    entry('PT Bina Insan Mandiri', 'L-BIM'),
    entry('CV Sari', 'L-SARI'),
    entry('Sejahtera Abadi Sdn Bhd', 'L-SAB'),
  ]);

  it('prefers the exact name: "Maju Jaya" and "Maju Raya" stay apart, both ways', () => {
    expect(matchAgency(both, 'Maju Jaya')).toMatchObject({ entry: { licence: 'L-JAYA' }, fuzzy: false, distance: 0 });
    expect(matchAgency(both, 'MAJU RAYA, PT')).toMatchObject({ entry: { licence: 'L-RAYA' }, fuzzy: false, distance: 0 });
  });

  it('matches after folding case, punctuation, spacing and legal forms', () => {
    for (const name of ['P.T. Maju-Jaya', 'majujaya', 'LPK Maju  Jaya', 'Maju Jaya Tbk']) {
      expect(matchAgency(both, name)).toMatchObject({ entry: { licence: 'L-JAYA' }, fuzzy: false });
    }
    expect(matchAgency(both, 'Sejahtera Abadi')).toMatchObject({ entry: { licence: 'L-SAB' }, fuzzy: false });
  });

  it('takes the closer of two similar names, and neither when they are equally close', () => {
    expect(matchAgency(both, 'Maju Jayya')).toMatchObject({ entry: { licence: 'L-JAYA' }, fuzzy: true, distance: 1 });
    expect(matchAgency(both, 'Maju Daya')).toBeUndefined();
  });

  it('matches one typo or swap in a name of 5 to 11 letters, not two', () => {
    const only = register([entry('PT Maju Jaya', 'L-JAYA')]);
    expect(matchAgency(only, 'Maju Jaay')).toMatchObject({ fuzzy: true, distance: 1 });
    expect(matchAgency(only, 'Maju Jay')).toMatchObject({ fuzzy: true, distance: 1 });
    expect(matchAgency(only, 'Mjau Jaay')).toBeUndefined();
    // With "Maju Raya" absent from the register, it is reported as a near match to "Maju Jaya",
    // never as exact: the bot must ask the person to compare the names (look-alike names are a trick).
    expect(matchAgency(only, 'Maju Raya')).toMatchObject({ entry: { name: 'PT Maju Jaya' }, fuzzy: true });
  });

  it('matches two slips in a name of 12 letters or more, not three', () => {
    expect(matchAgency(both, 'Bina Insan Mandri')).toMatchObject({ entry: { licence: 'L-BIM' }, fuzzy: true, distance: 1 });
    expect(matchAgency(both, 'Bna Insan Mandri')).toMatchObject({ entry: { licence: 'L-BIM' }, fuzzy: true, distance: 2 });
    expect(matchAgency(both, 'Bna Isan Mandri')).toBeUndefined();
  });

  it('allows edits by the shorter of the two names, so the answer is the same both ways', () => {
    // 12 letters against 10: the 10-letter side allows one edit only.
    const long = register([entry('PT Sinar Jaya Ab', 'L-12')]);
    const short = register([entry('PT Sinar Jaya', 'L-10')]);
    expect(matchAgency(long, 'Sinar Jaya')).toBeUndefined();
    expect(matchAgency(short, 'Sinar Jaya Ab')).toBeUndefined();
    expect(matchAgency(long, 'Sinar Jaya A')).toMatchObject({ fuzzy: true, distance: 1 });
    expect(matchAgency(register([entry('PT Sinar Jaya A', 'L-11')]), 'Sinar Jaya Ab')).toMatchObject({ fuzzy: true, distance: 1 });
  });

  it('matches short names exactly only', () => {
    expect(matchAgency(both, 'CV Sari')).toMatchObject({ entry: { licence: 'L-SARI' }, fuzzy: false });
    expect(matchAgency(both, 'Sara')).toBeUndefined();
    expect(matchAgency(both, 'Sarii')).toBeUndefined();
  });

  it('matches nothing for a name that is only a legal form or empty', () => {
    expect(matchAgency(both, 'PT')).toBeUndefined();
    expect(matchAgency(both, '')).toBeUndefined();
    expect(matchAgency(register([]), 'Maju Jaya')).toBeUndefined();
  });

  it('does not fuzzy-match pasted text', () => {
    const text = `Maju Jaya ${'lowongan kerja '.repeat(20)}`;
    expect(matchAgency(both, text)).toBeUndefined();
  });

  it('of a name listed twice, returns the licence valid longest', () => {
    const renewed = register([entry('PT Maju Jaya', 'OLD', '2024-01-31'), entry('Maju Jaya, PT', 'NEW', '2029-01-31')]);
    expect(matchAgency(renewed, 'Maju Jaya')?.entry.licence).toBe('NEW');
  });

  it.each<[number, number]>([
    [0, 0],
    [4, 0],
    [5, 1],
    [11, 1],
    [12, 2],
    [40, 2],
  ])('a name of %i letters allows %i edits', (length, edits) => {
    expect(fuzzyLimit(length)).toBe(edits);
  });
});

describe('checkAgency', () => {
  const reg = register([entry('PT Maju Jaya', 'L-1', '2026-06-30', 'Bali')], '2026-03-01T08:00:00+07:00');

  it('claims nothing without a register', () => {
    expect(checkAgency(undefined, 'PT Maju Jaya', '2026-06-30')).toEqual({ kind: 'no_register' });
  });

  it('is found through the last day of the licence, expired the day after', () => {
    const found = {
      name: 'PT Maju Jaya',
      province: 'Bali',
      licence: 'L-1',
      validUntil: '2026-06-30',
      importedAt: '2026-03-01T08:00:00+07:00',
      fuzzy: false,
    };
    expect(checkAgency(reg, 'Maju Jaya', '2026-06-29')).toEqual({ kind: 'found', ...found });
    expect(checkAgency(reg, 'Maju Jaya', '2026-06-30')).toEqual({ kind: 'found', ...found });
    expect(checkAgency(reg, 'Maju Jaya', '2026-07-01')).toEqual({ kind: 'expired', ...found });
  });

  it('says how close a near match is', () => {
    expect(checkAgency(reg, 'Maju Jaay', '2026-04-01')).toMatchObject({ kind: 'found', fuzzy: true, name: 'PT Maju Jaya' });
    expect(checkAgency(reg, 'Maju Jaay', '2027-04-01')).toMatchObject({ kind: 'expired', fuzzy: true });
  });

  it('says when the register was imported if the name is not on it', () => {
    expect(checkAgency(reg, 'PT Sinar Harapan', '2026-04-01')).toEqual({ kind: 'not_found', importedAt: '2026-03-01T08:00:00+07:00' });
  });

  it('refuses a "today" that is not a date', () => {
    expect(() => checkAgency(reg, 'Maju Jaya', '1/7/2026')).toThrow(RangeError);
  });
});

describe('the stored register', () => {
  it('round-trips through its schema', () => {
    const data = { importedAt: '2026-03-01', entries: [entry('PT A', 'L-1')] };
    expect(AgencyRegisterDataSchema.parse(JSON.parse(JSON.stringify(data)))).toEqual(data);
    expect(AgencyRegisterDataSchema.safeParse({ importedAt: 'yesterday', entries: [] }).success).toBe(false);
    expect(AgencyRegisterDataSchema.safeParse({ importedAt: '2026-03-01', entries: [{ ...entry('PT A', 'L'), validUntil: '2030-02-30' }] }).success).toBe(
      false,
    );
  });
});

// ── A large made-up register: the index must agree with a full scan, and be fast ─────────

/** A small deterministic generator (mulberry32), so that every run tests the same names. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'maju jaya abadi sejahtera mandiri karya bina mitra sinar putra putri bersama sentosa makmur utama perkasa ' +
  'gemilang cahaya harapan bangun duta insan prima nusantara global sukses sarana tenaga kerja indo asia raya ' +
  'sumber rejeki berkah amanah mulia bahagia citra dinamika esa fajar graha hikmah intan jasa kencana lestari ' +
  'megah nusa omega pelita rahmat samudra tunas usaha wahana yasa zamrud andalan bintang cipta dharma eka'
).split(' ');
const FORMS = ['PT', 'PT.', 'CV', 'PT', 'PT'];

function syntheticRegister(size: number, rnd: () => number): AgencyEntry[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  return Array.from({ length: size }, (_, i) => {
    const count = 2 + Math.floor(rnd() * 3);
    const name = `${pick(FORMS)} ${Array.from({ length: count }, () => pick(WORDS)).join(' ')}`;
    return entry(name.replace(/\b\w/g, (c) => c.toUpperCase()), `SYN-${String(i).padStart(5, '0')}`, '2030-01-01');
  });
}

/** Changes `edits` letters of a name at random: change, drop, add or swap. */
function typo(name: string, edits: number, rnd: () => number): string {
  let s = name;
  for (let e = 0; e < edits; e++) {
    const i = 1 + Math.floor(rnd() * Math.max(1, s.length - 2));
    const letter = String.fromCharCode(97 + Math.floor(rnd() * 26));
    const op = Math.floor(rnd() * 4);
    if (op === 0) s = s.slice(0, i) + letter + s.slice(i + 1);
    else if (op === 1) s = s.slice(0, i) + s.slice(i + 1);
    else if (op === 2) s = s.slice(0, i) + letter + s.slice(i);
    else s = s.slice(0, i) + (s[i + 1] ?? '') + (s[i] ?? '') + s.slice(i + 2);
  }
  return s;
}

/** What `matchAgency` must answer, found by comparing the name with every register name. */
function fullScan(entries: AgencyEntry[]): (name: string) => { licence: string; fuzzy: boolean } | undefined {
  const byKey = new Map<string, AgencyEntry>();
  for (const e of entries) {
    const k = companyKey(e.name)!;
    const known = byKey.get(k);
    if (known === undefined || e.validUntil > known.validUntil) byKey.set(k, e);
  }
  return (name) => {
    const key = companyKey(name);
    if (key === undefined) return undefined;
    const same = byKey.get(key);
    if (same !== undefined) return { licence: same.licence, fuzzy: false };
    if (key.length > 120) return undefined;
    let best: AgencyEntry[] = [];
    let bestDistance = Infinity;
    for (const [k, e] of byKey) {
      const limit = fuzzyLimit(Math.min(k.length, key.length));
      if (limit === 0) continue;
      const d = restrictedDamerauLevenshtein(key, k, limit);
      if (d > limit) continue;
      if (d < bestDistance) [best, bestDistance] = [[e], d];
      else if (d === bestDistance) best.push(e);
    }
    return best.length === 1 ? { licence: best[0]!.licence, fuzzy: true } : undefined;
  };
}

describe('a register of 10,000 agencies', () => {
  const rnd = random(20260301);
  const entries = syntheticRegister(10_000, rnd);
  const queries = Array.from({ length: 2_000 }, (_, i) => {
    const base = entries[Math.floor(rnd() * entries.length)]!.name;
    if (i % 4 === 0) return base.toLowerCase().replace(/^pt\.? /, '') + ', PT';
    if (i % 4 === 3) return `PT ${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} ${WORDS[(i * 13) % WORDS.length]}`;
    return typo(base, i % 4, rnd);
  });

  it('answers exactly as a full scan of the register would', () => {
    const reg = register(entries);
    const expected = fullScan(entries);
    const outcomes = { exact: 0, fuzzy: 0, none: 0 };
    // A full scan is slow: every fifth query is enough to compare (400 names of every kind).
    for (const q of queries.filter((_, i) => i % 5 === 0)) {
      const got = matchAgency(reg, q);
      expect(got === undefined ? undefined : { licence: got.entry.licence, fuzzy: got.fuzzy }, q).toEqual(expected(q));
      outcomes[got === undefined ? 'none' : got.fuzzy ? 'fuzzy' : 'exact']++;
    }
    // The sample covers every outcome.
    expect(Math.min(outcomes.exact, outcomes.fuzzy, outcomes.none)).toBeGreaterThan(20);
  });

  it('builds once and answers in well under a millisecond per name', () => {
    const buildStart = performance.now();
    const reg = register(entries);
    const buildMs = performance.now() - buildStart;
    for (const q of queries.slice(0, 200)) matchAgency(reg, q); // warm up
    const times: number[] = [];
    let matched = 0;
    for (const q of queries) {
      const start = performance.now();
      if (checkAgency(reg, q, '2026-03-01').kind !== 'not_found') matched++;
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
    const mean = times.reduce((s, t) => s + t, 0) / times.length;
    console.log(
      `agency register, ${entries.length} entries: build ${buildMs.toFixed(1)} ms; ${queries.length} queries ` +
        `(${matched} matched): mean ${(mean * 1000).toFixed(0)} µs, median ${(at(0.5) * 1000).toFixed(0)} µs, ` +
        `p99 ${(at(0.99) * 1000).toFixed(0)} µs, max ${(at(1) * 1000).toFixed(0)} µs`,
    );
    expect(at(0.5)).toBeLessThan(1);
    expect(mean).toBeLessThan(1);
  });
});
