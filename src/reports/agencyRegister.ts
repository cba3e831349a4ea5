/**
 * The licensed-agency register: the authorities' list of licensed placement companies (P3MI with
 * a SIP3MI licence), imported from a CSV file, and a tolerant matcher that tells a person whether
 * the agency they were offered is on it. Pure: the import command reads the file and passes its
 * text here; the date of import and today's date are passed in.
 *
 * Without a register nothing is claimed either way: `checkAgency` answers `no_register`, and the
 * bot points to SISKOP2MI and the local Disnaker instead.
 */
import { z } from 'zod';
import { readCsv } from './csv.js';
import { restrictedDamerauLevenshtein } from './editDistance.js';
import { companyKey } from './recruiter.js';

// ── The file ───────────────────────────────────────────────────────────────────────────────

/** One licensed agency as the register lists it. */
export interface AgencyEntry {
  name: string;
  licence: string;
  /** The last day the licence is valid, `YYYY-MM-DD`. */
  validUntil: string;
  /** May be empty: it is shown, never matched on. */
  province: string;
}

/** The columns a register file must have (in any order; other columns are ignored). */
export const AGENCY_COLUMNS = ['name', 'licence_number', 'valid_until', 'province'] as const;
type Column = (typeof AGENCY_COLUMNS)[number];

/** Spellings of a column name that mean the same column. */
const COLUMN_ALIASES: Record<string, Column> = { license_number: 'licence_number' };

/** Why a row was left out; stable codes for the import command's report and for tests. */
export type AgencyRowProblemCode =
  | 'field_count'
  | 'unterminated_quote'
  | 'missing_name'
  | 'name_is_legal_form'
  | 'missing_licence'
  | 'bad_date'
  | 'duplicate_licence';

/** A row that was not loaded: where, why (code) and a sentence for the operator. */
export interface AgencyRowProblem {
  line: number;
  code: AgencyRowProblemCode;
  message: string;
}

/** What a register file holds: the good rows, and the bad rows by line. */
export interface AgencyCsv {
  entries: AgencyEntry[];
  problems: AgencyRowProblem[];
}

/** A register file that cannot be read at all (no header, or a header without a required column). */
export class AgencyRegisterFormatError extends Error {
  override readonly name = 'AgencyRegisterFormatError';
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (not 2025-02-30). */
export function isIsoDate(text: string): boolean {
  const m = DATE.exec(text);
  if (m === null) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function columnName(header: string): string {
  const name = header.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return COLUMN_ALIASES[name] ?? name;
}

/**
 * Reads a register CSV (header `name,licence_number,valid_until,province`). Bad rows are
 * returned as problems with their line numbers and the good rows still load; only a file that
 * has no usable header throws `AgencyRegisterFormatError`, so nothing half-loads from a file of
 * the wrong kind. Rows whose first field starts with `#` are comments.
 */
export function parseAgencyCsv(text: string): AgencyCsv {
  const records = readCsv(text, { comment: '#' });
  const [header, ...rows] = records;
  if (header === undefined) throw new AgencyRegisterFormatError('The register file is empty: it needs a header line.');
  const names = header.fields.map(columnName);
  const missing = AGENCY_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new AgencyRegisterFormatError(
      `Line ${header.line}: the header must name the columns ${AGENCY_COLUMNS.join(', ')}; missing: ${missing.join(', ')}.`,
    );
  }
  const repeated = names.find((n, i) => AGENCY_COLUMNS.includes(n as Column) && names.indexOf(n) !== i);
  if (repeated !== undefined) throw new AgencyRegisterFormatError(`Line ${header.line}: the column ${repeated} appears twice.`);
  const at = Object.fromEntries(AGENCY_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<Column, number>;

  const entries: AgencyEntry[] = [];
  const problems: AgencyRowProblem[] = [];
  const licenceLines = new Map<string, number>();
  for (const { line, fields, unterminated } of rows) {
    const problem = (code: AgencyRowProblemCode, message: string) => problems.push({ line, code, message });
    if (unterminated) {
      problem('unterminated_quote', 'a quoted field is never closed; this row runs to the end of the file');
      continue;
    }
    // Trailing empty fields are what spreadsheets add after the last column; anything else is a
    // row cut short or split by an unquoted comma.
    const used = fields.length - [...fields].reverse().findIndex((f) => f !== '');
    if (fields.length < names.length || used > names.length) {
      problem('field_count', `expected ${names.length} fields, found ${fields.length}`);
      continue;
    }
    const value = (c: Column) => (fields[at[c]] ?? '').replace(/\s+/g, ' ').trim();
    const name = value('name');
    const licence = value('licence_number');
    const validUntil = value('valid_until');
    if (name === '') {
      problem('missing_name', 'the name is empty');
      continue;
    }
    if (companyKey(name) === undefined) {
      problem('name_is_legal_form', `the name "${name}" is only a legal form`);
      continue;
    }
    if (licence === '') {
      problem('missing_licence', 'the licence number is empty');
      continue;
    }
    if (!isIsoDate(validUntil)) {
      problem('bad_date', `valid_until "${validUntil}" is not a date written YYYY-MM-DD`);
      continue;
    }
    const licenceId = licence.toUpperCase().replace(/\s+/g, '');
    const first = licenceLines.get(licenceId);
    if (first !== undefined) {
      problem('duplicate_licence', `licence number ${licence} is already on line ${first}`);
      continue;
    }
    licenceLines.set(licenceId, line);
    entries.push({ name, licence, validUntil, province: value('province') });
  }
  return { entries, problems };
}

// ── The register and its index ────────────────────────────────────────────────────────────

/** The register as it is stored: its entries and when it was imported (ISO date or date-time). */
export const AgencyRegisterDataSchema = z.strictObject({
  importedAt: z.union([z.iso.date(), z.iso.datetime({ offset: true })]),
  entries: z.array(
    z.strictObject({
      name: z.string().min(1),
      licence: z.string().min(1),
      validUntil: z.iso.date(),
      province: z.string(),
    }),
  ),
});
export type AgencyRegisterData = z.infer<typeof AgencyRegisterDataSchema>;

/** The entries that share one folded name (a company listed twice, e.g. after a renewal). */
interface NameGroup {
  key: string;
  /** Latest `validUntil` first: the licence that counts. */
  entries: AgencyEntry[];
}

/** Bigram postings: for each two-letter sequence, the name groups holding it and how often. */
interface Postings {
  /** Ascending, and so (see `AgencyIndex.groups`) ordered by the length of the name. */
  groups: Int32Array;
  counts: Uint8Array;
}

interface AgencyIndex {
  exact: Map<string, number>;
  /** Ordered by key length, so that one length window is one range of ids. */
  groups: NameGroup[];
  /** `firstOfLength[n]`: the first group id whose key has `n` letters or more. */
  firstOfLength: Int32Array;
  bigrams: Map<number, Postings>;
  /** Per-group counters reused by every query (queries are synchronous, so never shared). */
  scratch: Uint16Array;
}

/** A register ready for matching: build it once after import or load, then query it many times. */
export interface AgencyRegister {
  readonly importedAt: string;
  readonly entries: readonly AgencyEntry[];
  readonly index: AgencyIndex;
}

function bigramCounts(key: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i + 1 < key.length; i++) {
    const gram = key.charCodeAt(i) * 0x10000 + key.charCodeAt(i + 1);
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** Indexes a register's entries by folded name (exact) and by bigram (fuzzy). */
export function buildAgencyRegister(data: AgencyRegisterData): AgencyRegister {
  const byKey = new Map<string, AgencyEntry[]>();
  for (const entry of data.entries) {
    const key = companyKey(entry.name);
    if (key === undefined) continue;
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [entry]);
    else list.push(entry);
  }
  const groups: NameGroup[] = [...byKey].map(([key, entries]) => ({
    key,
    entries: entries.sort((a, b) => (a.validUntil < b.validUntil ? 1 : a.validUntil > b.validUntil ? -1 : 0)),
  }));
  groups.sort((a, b) => a.key.length - b.key.length);
  const longest = groups.at(-1)?.key.length ?? 0;
  const firstOfLength = new Int32Array(longest + 2);
  for (let n = 0, id = 0; n < firstOfLength.length; n++) {
    while (id < groups.length && groups[id]!.key.length < n) id++;
    firstOfLength[n] = id;
  }
  const exact = new Map<string, number>();
  const lists = new Map<number, { groups: number[]; counts: number[] }>();
  groups.forEach((group, id) => {
    exact.set(group.key, id);
    for (const [gram, count] of bigramCounts(group.key)) {
      let list = lists.get(gram);
      if (list === undefined) lists.set(gram, (list = { groups: [], counts: [] }));
      list.groups.push(id);
      list.counts.push(Math.min(count, 255));
    }
  });
  const bigrams = new Map<number, Postings>();
  for (const [gram, list] of lists) bigrams.set(gram, { groups: Int32Array.from(list.groups), counts: Uint8Array.from(list.counts) });
  return {
    importedAt: data.importedAt,
    entries: data.entries,
    index: { exact, groups, firstOfLength, bigrams, scratch: new Uint16Array(groups.length) },
  };
}

/** The first position in an ascending array holding `value` or more. */
function lowerBound(array: Int32Array, value: number): number {
  let lo = 0;
  let hi = array.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (array[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ── Matching ──────────────────────────────────────────────────────────────────────────────

/**
 * How many edits a name may be away from a register name and still match, by the length of the
 * shorter folded key (letters and digits, legal forms dropped):
 * - under 5 ("Sari", "ABC"): none. One letter is a fifth of the name or more, and short names
 *   are the ones most often shared by unrelated companies.
 * - 5 to 11 ("majujaya", "sinarmas"): one, the typical single typo or swap.
 * - 12 and more ("majujayaabadi"): two, so two slips in a long name still match while more
 *   than five in six letters stay in place.
 * Distinct companies a letter apart ("Maju Jaya" / "Maju Raya") are kept apart by preferring an
 * exact match, and by refusing a fuzzy match that is as close to two register names.
 */
export function fuzzyLimit(length: number): number {
  if (length < 5) return 0;
  return length < 12 ? 1 : 2;
}

/** Longer "names" are pasted text, not names: they are only matched exactly (and keep the counters small). */
const LONGEST_FUZZY_NAME = 120;

/** The register entry a name matched, whether it matched only approximately, and how closely. */
export interface AgencyMatch {
  entry: AgencyEntry;
  fuzzy: boolean;
  /** Edits between the folded names; 0 when exact. */
  distance: number;
}

/**
 * The register entry for an agency name: an exact match of the folded name first; otherwise
 * the single closest name within `fuzzyLimit` edits. Undefined when nothing is close enough, or
 * when two register names are equally close (the bot cannot know which was meant). Of entries
 * with the same name, the one valid longest is returned.
 */
export function matchAgency(register: AgencyRegister, name: string): AgencyMatch | undefined {
  const key = companyKey(name);
  if (key === undefined) return undefined;
  const { exact, groups, firstOfLength, bigrams, scratch } = register.index;
  const exactId = exact.get(key);
  if (exactId !== undefined) return { entry: groups[exactId]!.entries[0]!, fuzzy: false, distance: 0 };
  const limit = key.length > LONGEST_FUZZY_NAME ? 0 : fuzzyLimit(key.length);
  if (limit === 0) return undefined;

  // Count filter: one edit (a swap included) breaks at most three bigrams, so a name within
  // `limit` edits shares at least max(length) - 1 - 3 × limit of them. That bound is at least 1
  // for every length that allows an edit, so names sharing no bigram need not be looked at.
  // Only names within `limit` letters of the query's length can be close enough: one id range.
  const lastLength = firstOfLength.length - 1;
  const from = firstOfLength[Math.min(Math.max(key.length - limit, 0), lastLength)]!;
  const to = firstOfLength[Math.min(key.length + limit + 1, lastLength)]!;
  const touched: number[] = [];
  for (const [gram, queryCount] of bigramCounts(key)) {
    const postings = bigrams.get(gram);
    if (postings === undefined) continue;
    for (let i = lowerBound(postings.groups, from); i < postings.groups.length; i++) {
      const id = postings.groups[i]!;
      if (id >= to) break;
      if (scratch[id] === 0) touched.push(id);
      scratch[id]! += Math.min(queryCount, postings.counts[i]!);
    }
  }
  let best: number | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  let tied = false;
  for (const id of touched) {
    const shared = scratch[id]!;
    scratch[id] = 0;
    const other = groups[id]!.key;
    if (shared < Math.max(other.length, key.length) - 1 - 3 * limit) continue;
    const pairLimit = fuzzyLimit(Math.min(other.length, key.length));
    if (pairLimit === 0) continue;
    const distance = restrictedDamerauLevenshtein(key, other, pairLimit);
    if (distance > pairLimit || distance > bestDistance) continue;
    tied = distance === bestDistance;
    if (distance < bestDistance) {
      best = id;
      bestDistance = distance;
    }
  }
  if (best === undefined || tied) return undefined;
  return { entry: groups[best]!.entries[0]!, fuzzy: true, distance: bestDistance };
}

/** The register's answer about an agency, for the check and its wording in the locales. */
export type AgencyCheck =
  | { kind: 'no_register' }
  | { kind: 'found'; name: string; province: string; licence: string; validUntil: string; importedAt: string; fuzzy: boolean }
  | { kind: 'expired'; name: string; province: string; licence: string; validUntil: string; importedAt: string; fuzzy: boolean }
  | { kind: 'not_found'; importedAt: string };

/**
 * Checks an agency name against the register on `today` (`YYYY-MM-DD`, the deploying
 * organisation's date). A licence is valid through its `validUntil` day. `name` in the answer is
 * the register's spelling; with `fuzzy` the person should be asked to compare it with theirs.
 * Without a register it answers `no_register` and claims nothing.
 */
export function checkAgency(register: AgencyRegister | undefined, name: string, today: string): AgencyCheck {
  if (!isIsoDate(today)) throw new RangeError(`checkAgency: today must be YYYY-MM-DD, got "${today}"`);
  if (register === undefined) return { kind: 'no_register' };
  const match = matchAgency(register, name);
  if (match === undefined) return { kind: 'not_found', importedAt: register.importedAt };
  const { entry, fuzzy } = match;
  const answer = {
    name: entry.name,
    province: entry.province,
    licence: entry.licence,
    validUntil: entry.validUntil,
    importedAt: register.importedAt,
    fuzzy,
  };
  return entry.validUntil >= today ? { kind: 'found', ...answer } : { kind: 'expired', ...answer };
}
