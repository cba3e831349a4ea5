/**
 * The ad analyser's view of a text: a list of folded tokens, each with its span in the ORIGINAL
 * text, so that every piece of evidence can be quoted exactly as the person wrote it. Pure.
 *
 * Folding follows src/common/normalize.ts (NFKD, accents removed, lower case), token by token, so
 * fancy "bold" Unicode letters (𝐆𝐀𝐉𝐈), full-width digits, ALL CAPS and accents all fold to the
 * same words. Runs of three or more of the same letter are squeezed ("cepaaat" → "cepat"), and
 * slang spellings are mapped to one word by the caller's synonyms ("tnp" → "tanpa").
 *
 * One pass over the text, no regular expression over more than one character: linear time on any
 * input, whatever it contains.
 */

export type TokenKind = 'word' | 'number' | 'symbol';

/**
 * What stands between a token and the one before it: nothing but spaces, hyphens, quotes and the
 * like (0); a clause break — comma, colon, bracket, emoji (1); or a sentence break — full stop,
 * question or exclamation mark, semicolon, line break, bullet (2).
 */
export type Break = 0 | 1 | 2;

export interface Token {
  /** Folded: lower case, no accents, squeezed, synonyms applied. Numbers keep `.` and `,`. */
  text: string;
  kind: TokenKind;
  /** Span in the original text (UTF-16 offsets, end exclusive). */
  start: number;
  end: number;
  /** The break between this token and the previous one. */
  brk: Break;
}

const LETTER = /[\p{L}\p{M}]/u;
const MARK = /\p{M}/u;
const DIGIT = /\p{N}/u;
const CURRENCY = /\p{Sc}/u;
const PICTOGRAPH = /[\p{Extended_Pictographic}\p{So}]/u;
const COMBINING_MARKS = /\p{M}+/gu;
const NOT_ALNUM = /[^\p{L}\p{N}]+/gu;
const NOT_NUMBER = /[^0-9.,]+/g;

/** Characters that end a sentence (or a line of an ad). */
const HARD = new Set(['.', '!', '?', ';', '\n', '\r', '\u2028', '\u2029', '•', '·', '|', '…', '。', '！', '？']);
/** Characters that end a clause; emoji and other symbols count as this too. */
const SOFT = new Set([',', ':', '(', ')', '[', ']', '{', '}', '<', '>', '*', '=', '#', '、', '，', '：']);

type Kind = 'letter' | 'digit' | 'currency' | 'gap';

function classify(ch: string, code: number): Kind {
  if (code < 0x80) {
    if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90)) return 'letter';
    if (code >= 48 && code <= 57) return 'digit';
    return code === 36 ? 'currency' : 'gap';
  }
  if (LETTER.test(ch)) return 'letter';
  if (DIGIT.test(ch)) return 'digit';
  if (CURRENCY.test(ch)) return 'currency';
  return 'gap';
}

function breakOf(ch: string, code: number): Break {
  if (HARD.has(ch)) return 2;
  if (code < 0x80) return SOFT.has(ch) ? 1 : 0;
  if (SOFT.has(ch) || PICTOGRAPH.test(ch)) return 1;
  return 0;
}

/** Folds one word: NFKD, marks removed, lower case, only letters and digits, long runs squeezed. */
export function foldWord(raw: string): string {
  let s = raw;
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(s)) s = s.normalize('NFKD').replace(COMBINING_MARKS, '');
  s = s.toLowerCase();
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(s)) s = s.normalize('NFKD').replace(COMBINING_MARKS, '');
  s = s.replace(NOT_ALNUM, '');
  return squeeze(s);
}

/** Squeezes every run of three or more of the same letter to one ("bangeeet" → "banget"). */
function squeeze(s: string): string {
  let out = '';
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    run = i > 0 && s[i - 1] === c ? run + 1 : 1;
    if (run === 3) {
      out = out.slice(0, -1);
      continue;
    }
    if (run > 3) continue;
    out += c;
  }
  return out;
}

/** Folds a number: NFKD digits to ASCII, only digits and the separators `.` and `,`. */
function foldNumber(raw: string): string {
  return raw.normalize('NFKD').replace(NOT_NUMBER, '');
}

/** Folds a currency sign (full-width `＄` → `$`). */
function foldSymbol(raw: string): string {
  return raw.normalize('NFKC');
}

/**
 * Splits a text into tokens. Letters and digits form separate tokens ("15jt" → "15", "jt"); a `.` or
 * `,` between two digits stays inside the number ("15.000.000"). `synonyms` maps a folded word to
 * the word patterns use.
 */
export function tokenize(text: string, synonyms: ReadonlyMap<string, string> = new Map()): Token[] {
  const tokens: Token[] = [];
  let brk: Break = 0;
  let i = 0;
  const n = text.length;
  const push = (kind: TokenKind, start: number, end: number): void => {
    const raw = text.slice(start, end);
    let folded = kind === 'word' ? foldWord(raw) : kind === 'number' ? foldNumber(raw) : foldSymbol(raw);
    if (folded === '') return;
    if (kind === 'word') folded = synonyms.get(folded) ?? folded;
    tokens.push({ text: folded, kind, start, end, brk });
    brk = 0;
  };
  while (i < n) {
    const code = text.codePointAt(i) as number;
    const size = code > 0xffff ? 2 : 1;
    const ch = size === 2 ? text.slice(i, i + 2) : (text[i] as string);
    const kind = classify(ch, code);
    if (kind === 'gap') {
      const b = breakOf(ch, code);
      if (b > brk) brk = b;
      i += size;
      continue;
    }
    if (kind === 'currency') {
      push('symbol', i, i + size);
      i += size;
      continue;
    }
    const start = i;
    i += size;
    if (kind === 'letter') {
      while (i < n) {
        const c = text.codePointAt(i) as number;
        const s = c > 0xffff ? 2 : 1;
        if (classify(s === 2 ? text.slice(i, i + 2) : (text[i] as string), c) !== 'letter') break;
        i += s;
      }
      push('word', start, i);
      continue;
    }
    // A number: digits, with `.` or `,` between digits, and combining marks riding on digits.
    while (i < n) {
      const c = text.codePointAt(i) as number;
      const s = c > 0xffff ? 2 : 1;
      const ch2 = s === 2 ? text.slice(i, i + 2) : (text[i] as string);
      const k = classify(ch2, c);
      if (k === 'digit' || (k === 'letter' && MARK.test(ch2))) {
        i += s;
        continue;
      }
      if ((c === 46 || c === 44) && i + 1 < n) {
        const next = text.codePointAt(i + 1) as number;
        const ns = next > 0xffff ? 2 : 1;
        if (classify(ns === 2 ? text.slice(i + 1, i + 3) : (text[i + 1] as string), next) === 'digit') {
          i += 1;
          continue;
        }
      }
      break;
    }
    push('number', start, i);
  }
  return tokens;
}
