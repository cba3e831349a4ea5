/**
 * Amounts of money in an ad: `Rp 15.000.000`, `15 juta`, `15jt`, `USD 1,000`, `1000$`, `RM 3.000`,
 * `NT$ 30.000`, ranges such as `15-20jt`, each with its currency, its span in the original text,
 * and whether the words before it make it pay or a cost. The vocabulary (currencies, multipliers,
 * pay and fee words) is data from `flows/ad-patterns.yaml`. Pure.
 */
import type { Token } from './adText.js';

/** A word sequence, as folded tokens. */
export type Seq = readonly string[];

export interface MoneyVocab {
  /** Longest first, so that "nt $" wins over "$". */
  currencies: ReadonlyArray<{ code: string; seq: Seq }>;
  defaultCurrency: string;
  multipliers: ReadonlyArray<{ factor: number; seq: Seq }>;
  rangeWords: readonly Seq[];
  payWords: readonly Seq[];
  feeWords: readonly Seq[];
  notMonthly: readonly Seq[];
}

export type AmountKind = 'pay' | 'fee' | 'other';

/** An amount found in the text. */
export interface Amount {
  value: number;
  /** ISO 4217 code. */
  currency: string;
  /** The span as written, e.g. "Rp 15-20 juta". */
  evidence: string;
  start: number;
  end: number;
  /** Pay (after "gaji", "salary"…), a cost to the worker (after "biaya", "DP"…), or other. */
  kind: AmountKind;
  /** False when the ad says it is per hour, day, week or year. */
  monthly: boolean;
}

/** How many words before an amount are searched for a pay or fee word. */
const CONTEXT_WORDS = 6;
/** Numbers above this are not amounts (phone numbers, ids). */
const MAX_VALUE = 1e13;

/** True when tokens[at..] spell `seq`, each next token following with nothing but spaces between. */
function seqAt(text: string, tokens: readonly Token[], at: number, seq: Seq): boolean {
  if (at < 0 || at + seq.length > tokens.length) return false;
  for (let k = 0; k < seq.length; k++) {
    const t = tokens[at + k] as Token;
    if (t.text !== seq[k]) return false;
    if (k > 0 && !onlySpaces(text, (tokens[at + k - 1] as Token).end, t.start, 1)) return false;
  }
  return true;
}

function onlySpaces(text: string, from: number, to: number, max: number): boolean {
  if (to - from > max) return false;
  for (let i = from; i < to; i++) if (text[i] !== ' ' && text[i] !== '\u00a0' && text[i] !== '\t') return false;
  return true;
}

/** Between a currency written before the number and the number: spaces, `.`, `:` ("Rp. 15.000"). */
function currencyGap(text: string, from: number, to: number): boolean {
  if (to - from > 3) return false;
  for (let i = from; i < to; i++) if (!' \u00a0\t.:'.includes(text[i] as string)) return false;
  return true;
}

/** Parses "15.000.000", "1,000.50", "1,5", "2.5" (Indonesian and English separators). */
export function parseNumber(raw: string): number {
  const seps = raw.replace(/[0-9]/g, '');
  if (seps === '') return Number(raw);
  const lastSep = Math.max(raw.lastIndexOf('.'), raw.lastIndexOf(','));
  const groups = raw.split(/[.,]/);
  const kinds = new Set(seps);
  if (kinds.size === 2) {
    // Both: the last one is the decimal point ("15.000.000,50", "1,000.50").
    const intPart = raw.slice(0, lastSep).replace(/[.,]/g, '');
    return Number(`${intPart}.${raw.slice(lastSep + 1)}`);
  }
  // One kind: thousands when every group after the first has three digits ("1.000", "15.000.000").
  const thousands = groups.slice(1).every((g) => g.length === 3) && (groups[0] as string).length <= 3 && (groups[0] as string).length > 0;
  if (thousands) return Number(groups.join(''));
  if (seps.length === 1) return Number(raw.replace(',', '.'));
  return NaN;
}

/** Finds the amounts in a tokenized text. */
export function findAmounts(text: string, tokens: readonly Token[], vocab: MoneyVocab): Amount[] {
  const out: Amount[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i] as Token;
    if (t.kind !== 'number') {
      i++;
      continue;
    }
    const first = readOne(text, tokens, i, vocab);
    let last = first;
    let second: Reading | undefined;
    // A range: "15-20jt", "Rp 15 sampai 20 juta", "USD 1,000 to 1,500".
    const linkEnd = rangeLink(text, tokens, first.nextIndex, vocab);
    if (linkEnd >= 0 && (tokens[linkEnd] as Token | undefined)?.kind === 'number') {
      second = readOne(text, tokens, linkEnd, vocab);
      last = second;
    }
    const values: Array<{ value: number; currency?: string }> = [];
    if (second) {
      const factor1 = first.factor ?? (second.factor !== undefined && first.raw < 1000 ? second.factor : undefined);
      const currency = first.currency ?? second.currency;
      const hasUnit = currency !== undefined || factor1 !== undefined || second.factor !== undefined;
      if (hasUnit) {
        values.push({ value: first.raw * (factor1 ?? 1), currency }, { value: second.raw * (second.factor ?? 1), currency: second.currency ?? first.currency });
      }
    } else if (first.currency !== undefined || first.factor !== undefined) {
      values.push({ value: first.raw * (first.factor ?? 1), currency: first.currency });
    }
    if (values.length > 0) {
      const start = first.start;
      const end = last.end;
      const kind = kindBefore(tokens, first.startIndex, vocab);
      const monthly = !perOtherPeriod(text, tokens, last, vocab);
      for (const v of values) {
        if (!Number.isFinite(v.value) || v.value <= 0 || v.value > MAX_VALUE) continue;
        out.push({ value: v.value, currency: v.currency ?? vocab.defaultCurrency, evidence: text.slice(start, end), start, end, kind, monthly });
      }
    }
    i = Math.max(last.nextIndex, i + 1);
  }
  return out;
}

interface Reading {
  raw: number;
  factor?: number;
  currency?: string;
  /** First token of the amount (the currency before it, if any) and the token after it. */
  startIndex: number;
  nextIndex: number;
  start: number;
  end: number;
}

/** Reads one number with the currency before it and the multiplier and currency after it. */
function readOne(text: string, tokens: readonly Token[], i: number, vocab: MoneyVocab): Reading {
  const t = tokens[i] as Token;
  const r: Reading = { raw: parseNumber(t.text), startIndex: i, nextIndex: i + 1, start: t.start, end: t.end };
  for (const c of vocab.currencies) {
    const at = i - c.seq.length;
    if (seqAt(text, tokens, at, c.seq) && currencyGap(text, (tokens[i - 1] as Token).end, t.start)) {
      r.currency = c.code;
      r.startIndex = at;
      r.start = (tokens[at] as Token).start;
      break;
    }
  }
  let next = i + 1;
  for (const m of vocab.multipliers) {
    if (seqAt(text, tokens, next, m.seq) && onlySpaces(text, (tokens[next - 1] as Token).end, (tokens[next] as Token).start, 2)) {
      r.factor = m.factor;
      next += m.seq.length;
      break;
    }
  }
  if (r.currency === undefined) {
    for (const c of vocab.currencies) {
      if (seqAt(text, tokens, next, c.seq) && onlySpaces(text, (tokens[next - 1] as Token).end, (tokens[next] as Token).start, 2)) {
        r.currency = c.code;
        next += c.seq.length;
        break;
      }
    }
  }
  r.nextIndex = next;
  r.end = (tokens[next - 1] as Token).end;
  return r;
}

/** True when the amount is followed by "per jam", "/hari", "setahun"…: not monthly pay. */
function perOtherPeriod(text: string, tokens: readonly Token[], last: Reading, vocab: MoneyVocab): boolean {
  const next = tokens[last.nextIndex];
  if (!next) return false;
  const gap = text.slice(last.end, next.start);
  if (gap.length > 3 || !/^[\s/]*$/.test(gap)) return false;
  const at = next.text === 'per' ? last.nextIndex + 1 : last.nextIndex;
  return vocab.notMonthly.some((seq) => seqAt(text, tokens, at, seq));
}

/** When tokens[at] starts the link of a range ("-", "~", "sampai", "s/d"), the index after it; else -1. */
function rangeLink(text: string, tokens: readonly Token[], at: number, vocab: MoneyVocab): number {
  const next = tokens[at];
  if (!next) return -1;
  const prevEnd = (tokens[at - 1] as Token).end;
  const gap = text.slice(prevEnd, next.start);
  if (next.kind === 'number' && gap.length <= 5 && /^\s*[-–—~]\s*$/.test(gap)) return at;
  for (const seq of vocab.rangeWords) {
    if (gap.length <= 3 && seqAt(text, tokens, at, seq)) return at + seq.length;
  }
  return -1;
}

/** Pay, fee or other, from the nearest pay or fee word in the few words before the amount (longest word first). */
function kindBefore(tokens: readonly Token[], startIndex: number, vocab: MoneyVocab): AmountKind {
  for (let end = startIndex - 1; end >= 0 && end >= startIndex - CONTEXT_WORDS; end--) {
    // Never across the end of a sentence (the break before the amount itself is allowed: "Gaji:\n15jt").
    if (end < startIndex - 1 && (tokens[end + 1] as Token).brk === 2) break;
    let best: { kind: AmountKind; len: number } | undefined;
    for (const [kind, list] of [['fee', vocab.feeWords], ['pay', vocab.payWords]] as const) {
      for (const seq of list) {
        if (best && seq.length <= best.len) continue;
        const from = end - seq.length + 1;
        if (from < 0) continue;
        let ok = true;
        for (let k = 0; k < seq.length; k++) if ((tokens[from + k] as Token).text !== seq[k]) ok = false;
        if (ok) best = { kind, len: seq.length };
      }
    }
    if (best) return best.kind;
  }
  return 'other';
}
