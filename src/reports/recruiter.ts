/**
 * Recruiter identifiers, normalised so that two people who describe the same recruiter in
 * different ways produce the same keys: phone numbers in E.164, names and companies folded,
 * social-media handles bare. The keys are what reports are counted by, so that the next person
 * who meets the same recruiter can be warned (issue 7). Pure: no clock, no I/O, no secrets.
 *
 * The phone metadata is libphonenumber-js's `max` set, not the smaller `min` or `mobile` sets:
 * `min` only checks lengths, so it takes `000000000000` for an Indonesian number and reads a
 * Malaysian `60 12-345 6789` typed without `+` as Indonesian; `mobile` rejects landlines, and an
 * agency's office number (021-…) is as good an identifier as a mobile. The extra ~70 kB of
 * metadata is loaded once on a server.
 */
import { parsePhoneNumberFromString, parseIncompletePhoneNumber, type CountryCode } from 'libphonenumber-js/max';
import { containsPhrase, fold, words } from '../common/normalize.js';

export type { CountryCode };

/** A phone number in E.164: `+` and the country calling code, then the national number. */
export type E164 = `+${string}`;

/**
 * A normalised identifier of a recruiter. Reports are matched on these, never on raw text.
 * Keys are plain here; the caller may hash them (for example an HMAC with a server secret)
 * before storing, so that the store holds pseudonymous keys only (issue 10). Hashing is the
 * caller's choice because it needs a secret from the configuration, which pure code never reads.
 */
export type RecruiterKey = `phone:${E164}` | `name:${string}` | `company:${string}` | `social:${string}`;

// ── Phones ──────────────────────────────────────────────────────────────────────────────────

/**
 * The E.164 form of a phone number, or undefined when `input` is not one. Numbers without a
 * country are read as numbers of `defaultCountry` (Indonesia unless the caller knows better), so
 * `0812-3456-7890`, `+62 812 3456 7890`, `62812 3456 7890` and `812 3456 7890` are all
 * `+6281234567890`; a number written with `+` or `00` stays in its own country. WhatsApp links
 * (`wa.me/…`, `api.whatsapp.com/send?phone=…`) and Telegram's `t.me/+…` carry full international
 * numbers. Only numbers valid in the numbering plan are accepted: junk gives undefined.
 */
export function normalisePhone(input: string, defaultCountry: CountryCode = 'ID'): E164 | undefined {
  const url = asUrl(input.trim());
  if (url !== undefined) {
    const linked = phoneFromLink(url);
    if (linked === undefined) return undefined;
    // wa.me wants the international form; a national one in a link still names a number.
    return linked.startsWith('0') ? validNumber(linked, defaultCountry) : validNumber(`+${linked}`, defaultCountry);
  }
  const text = input.replace(/^\s*tel:/i, '');
  const digits = parseIncompletePhoneNumber(text);
  // `00` is the international prefix in most countries migrants work in, and in everyday use in
  // Indonesia too (`00 60 …` is Malaysia); then Indonesia's carrier prefixes (001, 007, 008,
  // 009, 01016, 01017), which libphonenumber's metadata only partly lists.
  for (const prefix of INTERNATIONAL_PREFIXES) {
    const rest = prefix.exec(digits);
    if (rest === null) continue;
    const international = validNumber(`+${digits.slice(rest[0].length)}`, defaultCountry);
    if (international !== undefined) return international;
  }
  const national = validNumber(text, defaultCountry);
  if (national !== undefined) return national;
  // A number copied without its `+` (`966 50 123 4567`) when it is not a valid national number.
  if (/^[1-9]/.test(digits)) return validNumber(`+${digits}`, defaultCountry);
  return undefined;
}

const INTERNATIONAL_PREFIXES = [/^00(?=[1-9])/, /^0(?:0[1789]|101[67])(?=[1-9])/];

function validNumber(text: string, defaultCountry: CountryCode): E164 | undefined {
  const parsed = parsePhoneNumberFromString(text, { defaultCountry });
  return parsed?.isValid() === true ? (parsed.number as E164) : undefined;
}

/** The digits of the number a WhatsApp or Telegram phone link opens, or undefined. */
function phoneFromLink(url: URL): string | undefined {
  const host = siteOf(url);
  let raw: string | null | undefined;
  if (host === 'wa.me') raw = pathSegments(url)[0];
  else if (host === 'whatsapp.com' || host === 'api.whatsapp.com' || url.protocol === 'whatsapp:') raw = url.searchParams.get('phone');
  else if (TELEGRAM_HOSTS.has(host)) raw = pathSegments(url)[0]?.match(/^\+(\d[\d\s-]*)$/)?.[1];
  if (raw === undefined || raw === null) return undefined;
  const digits = raw.replace(/[\s().+-]/g, '');
  return /^\d{6,17}$/.test(digits) ? digits : undefined;
}

// ── Links and handles ──────────────────────────────────────────────────────────────────────

const TELEGRAM_HOSTS = new Set(['t.me', 'telegram.me', 'telegram.dog']);

/** A URL when `text` is a link (with or without `https://`, like `instagram.com/x`), else undefined. */
function asUrl(text: string): URL | undefined {
  let candidate: string;
  if (/^(?:https?|whatsapp):\/\//i.test(text)) candidate = text;
  else if (/^(?:[a-z0-9-]+\.)+[a-z]{2,}\//i.test(text)) candidate = `https://${text}`;
  else return undefined;
  try {
    return new URL(candidate);
  } catch {
    return undefined;
  }
}

/** The host without the prefixes that serve the same site (`www.`, `m.`, `web.` …). */
function siteOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^(?:www|m|web|mobile|mbasic)\./, '');
}

function pathSegments(url: URL): string[] {
  return url.pathname.split('/').filter((s) => s !== '').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
}

/** Path words that are pages of the site, not accounts (`instagram.com/p/…` is a post). */
const NOT_ACCOUNTS: Record<string, ReadonlySet<string>> = {
  instagram: new Set(['p', 'reel', 'reels', 'tv', 'explore', 'accounts', 'direct', 'about', 'legal', 'stories']),
  facebook: new Set([
    'groups', 'pages', 'people', 'profile.php', 'share', 'sharer', 'sharer.php', 'watch', 'events', 'photo',
    'photo.php', 'permalink.php', 'story.php', 'login', 'marketplace', 'hashtag', 'help', 'reel', 'videos', 'posts',
  ]),
  telegram: new Set(['joinchat', 'addstickers', 'addemoji', 'addtheme', 'share', 'c', 'proxy', 'socks', 'iv', 's']),
  x: new Set(['home', 'share', 'intent', 'i', 'search', 'hashtag', 'explore', 'settings', 'messages', 'notifications']),
};

/** The account a profile link points to, or undefined for posts, groups, short links and other sites. */
function handleFromUrl(url: URL): string | undefined {
  const site = siteOf(url);
  const [first, second, third] = pathSegments(url);
  if (first === undefined) return undefined;
  switch (site) {
    case 'instagram.com':
    case 'instagr.am':
      if (first === 'stories') return second;
      return NOT_ACCOUNTS.instagram!.has(first) ? undefined : first;
    case 'facebook.com':
    case 'fb.com':
    case 'fb.me':
      if (first === 'profile.php') return url.searchParams.get('id') ?? undefined;
      // Old profile and page links end in the numeric id: /people/Name/1000…, /pages/Name/1234…
      if ((first === 'people' || first === 'pages') && third !== undefined && /^\d+$/.test(third)) return third;
      return NOT_ACCOUNTS.facebook!.has(first) ? undefined : first;
    case 'tiktok.com':
    case 'threads.net':
    case 'threads.com':
      return first.startsWith('@') ? first : undefined;
    case 'youtube.com':
      if (first === 'c' || first === 'user') return second;
      return first.startsWith('@') ? first : undefined;
    case 't.me':
    case 'telegram.me':
    case 'telegram.dog':
      if (first === 's') return second;
      // `t.me/+…` is a private invite (or a phone number, read as such above).
      return first.startsWith('+') || NOT_ACCOUNTS.telegram!.has(first) ? undefined : first;
    case 'x.com':
    case 'twitter.com':
      return NOT_ACCOUNTS.x!.has(first) ? undefined : first;
    default:
      return undefined;
  }
}

const HANDLE = /^[a-z0-9._-]{1,64}$/;

/**
 * A social-media handle, lower case and without `@`, from `@Budi_Kerja`, `budi_kerja`,
 * `IG: @budi_kerja` or a profile link (instagram.com/x, facebook.com/x, tiktok.com/@x, t.me/x,
 * x.com/x, youtube.com/@x); undefined for anything else (several words, an e-mail address, a
 * post or group link, an unknown site). The platform is not part of the handle: reporters often
 * do not know or say where they saw the account, and operators reuse one handle across apps.
 */
export function normaliseHandle(input: string): string | undefined {
  const text = input.normalize('NFKC').trim();
  const url = asUrl(text);
  let raw: string | undefined;
  if (url !== undefined) raw = handleFromUrl(url);
  else {
    // "IG: @budi" — an @ that starts a word, not the @ of an e-mail address.
    const mention = /(?:^|[\s:(])@([^\s@,;:()]+)/u.exec(text);
    if (mention !== null) raw = mention[1];
    else if (!/[\s@]/.test(text)) raw = text;
  }
  if (raw === undefined) return undefined;
  const handle = raw
    .replace(/^@/, '')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[.]+$/, '');
  return HANDLE.test(handle) && /[a-z0-9]/.test(handle) ? handle : undefined;
}

// ── Names and companies ────────────────────────────────────────────────────────────────────

/**
 * Legal forms and labels that people add or drop at will around a company's name, so they are
 * ignored at either end of it ("PT. Maju Jaya Abadi" = "Maju Jaya Abadi, PT" = "MAJU JAYA ABADI").
 * Each is here for a reason; a word that is really part of names is not (see below).
 */
export const COMPANY_FORMS: ReadonlyArray<{ form: string; why: string }> = [
  { form: 'pt', why: 'Perseroan Terbatas, the legal form of every licensed placement company; often dropped in speech' },
  { form: 'p t', why: '"P.T." written with dots' },
  { form: 'cv', why: 'Commanditaire Vennootschap, a partnership form used by small (often unlicensed) recruiters' },
  { form: 'c v', why: '"C.V." written with dots' },
  { form: 'ud', why: 'Usaha Dagang, a sole trader' },
  { form: 'tbk', why: 'Terbuka, the suffix of a listed company' },
  { form: 'persero', why: 'the "(Persero)" of a state-owned company' },
  { form: 'lpk', why: 'Lembaga Pelatihan Kerja: training centres recruit (DOMAIN.md) and share names with their PT' },
  { form: 'p3mi', why: 'Perusahaan Penempatan PMI, the legal category of licensed agencies since UU 18/2017' },
  { form: 'pptkis', why: 'the pre-2017 name of the same category, still in everyday use' },
  { form: 'pjtki', why: 'an older everyday name of the same category' },
  { form: 'sdn bhd', why: 'Sendirian Berhad, a Malaysian private company (agencies and employers abroad)' },
  { form: 'sdn', why: '"Sdn." when "Bhd" is written apart or left out' },
  { form: 'bhd', why: 'Berhad, a Malaysian company' },
  { form: 'ltd', why: 'Limited, as in "Co., Ltd." (Taiwan, Hong Kong, Korea, Japan)' },
  { form: 'limited', why: 'Limited written out' },
  { form: 'co', why: 'the "Co." of "Co., Ltd."' },
  { form: 'llc', why: 'limited liability company (Gulf states)' },
  { form: 'inc', why: 'Incorporated' },
];
// Not here, on purpose: "Yayasan" (foundation) and "Koperasi" (cooperative). They are said as part
// of the name, and without them many names fall back to a few common words ("Al Ikhlas",
// "Nurul Huda") shared by thousands of unrelated organisations, which would merge their reports.

/**
 * Titles and role words said before a person's name ("Pak Budi", "Bu Siti", "Calo Joko"),
 * ignored at its start.
 */
export const PERSON_PREFIXES: readonly string[] = [
  'pak', 'bapak', 'bpk', 'bu', 'ibu', 'mas', 'mbak', 'mba', 'bang', 'abang', 'kak', 'kakak', 'om', 'tante',
  'haji', 'h', 'hj', 'hajah', 'hajjah', 'ustadz', 'ustad', 'ustaz', 'sdr', 'sdri', 'saudara',
  'calo', 'agen', 'sponsor',
];

const COMPANY_FORM_WORDS = COMPANY_FORMS.map(({ form }) => words(form));
const PERSON_PREFIX_WORDS = PERSON_PREFIXES.map((p) => [p]);

function startsWith(list: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length < list.length && prefix.every((w, i) => list[i] === w);
}

function endsWith(list: readonly string[], suffix: readonly string[]): boolean {
  const offset = list.length - suffix.length;
  return offset > 0 && suffix.every((w, i) => list[offset + i] === w);
}

/** Removes any of `affixes` from the start (and the end, when `both`) until none is left; never the last word. */
function stripAffixes(list: readonly string[], affixes: readonly (readonly string[])[], both: boolean): string[] {
  let rest = [...list];
  for (let changed = true; changed; ) {
    changed = false;
    for (const affix of affixes) {
      if (startsWith(rest, affix)) {
        rest = rest.slice(affix.length);
        changed = true;
      } else if (both && endsWith(rest, affix)) {
        rest = rest.slice(0, rest.length - affix.length);
        changed = true;
      }
    }
  }
  return rest;
}

/** True when the folded words consist of a legal form only ("PT", "C.V."). */
function isFormOnly(list: readonly string[]): boolean {
  return COMPANY_FORM_WORDS.some((form) => form.length === list.length && form.every((w, i) => list[i] === w));
}

/**
 * A company name folded for comparison: case, accents, punctuation and spacing folded and the
 * legal forms of `COMPANY_FORMS` dropped at either end, as words: `"PT. Maju Jaya Abadi"` gives
 * `["maju", "jaya", "abadi"]`. Empty when nothing but a legal form is left.
 */
export function companyWords(name: string): string[] {
  const rest = stripAffixes(words(fold(name)), COMPANY_FORM_WORDS, true);
  return isFormOnly(rest) ? [] : rest;
}

/**
 * The key of a company name: its `companyWords` joined without spaces, so "Sinarmas" and
 * "Sinar Mas" agree; undefined when nothing is left. The licensed-agency register matches on
 * the same key.
 */
export function companyKey(name: string): string | undefined {
  const key = companyWords(name).join('');
  return key === '' ? undefined : key;
}

/** True when a name is written with a legal form ("PT Maju", "Maju Jaya Sdn Bhd"): it names a company. */
export function hasCompanyForm(name: string): boolean {
  const list = words(fold(name));
  return list.length > 0 && stripAffixes(list, COMPANY_FORM_WORDS, true).length < list.length;
}

/**
 * The key of a person's name: folded, titles of `PERSON_PREFIXES` dropped, joined without
 * spaces. Undefined for a single word: a given name alone ("Joko") is shared by too many people
 * to count reports by, and would warn people about strangers.
 */
export function personKey(name: string): string | undefined {
  const list = stripAffixes(words(fold(name)), PERSON_PREFIX_WORDS, false);
  return list.length >= 2 ? list.join('') : undefined;
}

// ── All keys of one description ───────────────────────────────────────────────────────────

/** What a reporter (or a person checking an offer) said about a recruiter; every field optional. */
export interface RecruiterIdentifiers {
  name?: string | readonly string[];
  company?: string | readonly string[];
  phone?: string | readonly string[];
  /** Handles or links; a WhatsApp link or a bare number here counts as a phone. */
  social?: string | readonly string[];
}

/** How to read identifiers. */
export interface RecruiterKeyOptions {
  /** The country of numbers written without one: Indonesia unless the flow knows better. */
  defaultCountry?: CountryCode;
  /**
   * Folded "don't know" phrases (the content's word list, e.g. `flows/commands.yaml`): a value that
   * contains one is no identifier, so that "tidak tahu" typed as a name never becomes a key.
   */
  unknownPhrases?: readonly string[];
}

function valuesOf(field: string | readonly string[] | undefined): readonly string[] {
  if (field === undefined) return [];
  return typeof field === 'string' ? [field] : field;
}

/**
 * Several numbers in one answer: "0812… / 0813…", "0812…, 0813…", "0812… atau 0813…". A `/`
 * separates only between numbers, never inside a link (`wa.me/62…`).
 */
const PHONE_SEPARATORS = /[,;|\n]+|\s+(?:atau|or|dan|and)\s+|(?<=[\d)\s])\s*\/\s*(?=[\s+\d(])/i;
/** Several handles or links in one answer; never `/`, which links contain. */
const SOCIAL_SEPARATORS = /[,;|\n]+|\s+(?:atau|or|dan|and)\s+/i;
/** Several names in one answer: only line breaks and `;` ("dan" and commas occur inside company names). */
const NAME_SEPARATORS = /[;\n]+/;

/**
 * The set of normalised keys for a description of a recruiter, sorted and without repeats:
 * `phone:+62…`, `name:…`, `company:…`, `social:…`. A name written with a legal form ("PT Maju"
 * in the name field) gives a company key. Values that are no identifier give no key.
 */
export function recruiterKeys(input: RecruiterIdentifiers, options: RecruiterKeyOptions = {}): RecruiterKey[] {
  const country = options.defaultCountry ?? 'ID';
  const unknown = options.unknownPhrases ?? [];
  const parts = (field: string | readonly string[] | undefined, separators: RegExp): string[] =>
    valuesOf(field)
      .flatMap((value) => value.split(separators))
      .filter((part) => {
        const folded = fold(part);
        return folded !== '' && !unknown.some((phrase) => containsPhrase(folded, phrase));
      });

  const keys = new Set<RecruiterKey>();
  const addPhone = (text: string): boolean => {
    const phone = normalisePhone(text, country);
    if (phone !== undefined) keys.add(`phone:${phone}`);
    return phone !== undefined;
  };
  const addCompany = (text: string): void => {
    const key = companyKey(text);
    if (key !== undefined) keys.add(`company:${key}`);
  };

  for (const part of parts(input.phone, PHONE_SEPARATORS)) addPhone(part);
  for (const part of parts(input.social, SOCIAL_SEPARATORS)) {
    // A number or a WhatsApp / t.me/+ link given as the "account" is the recruiter's phone.
    const phoneLike = /^[\s+\d().-]+$/.test(part) || /wa\.me|whatsapp|t\.me\/\+|telegram\.me\/\+/i.test(part);
    if (phoneLike && addPhone(part)) continue;
    const handle = normaliseHandle(part);
    if (handle !== undefined) keys.add(`social:${handle}`);
  }
  for (const part of parts(input.company, NAME_SEPARATORS)) addCompany(part);
  for (const part of parts(input.name, NAME_SEPARATORS)) {
    if (hasCompanyForm(part)) addCompany(part);
    else {
      const key = personKey(part);
      if (key !== undefined) keys.add(`name:${key}`);
    }
  }
  return [...keys].sort();
}
