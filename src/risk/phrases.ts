/**
 * Phrase patterns over tokens ("regex-lite"): what staff write in `flows/ad-patterns.yaml`, and a
 * matcher that finds them in a tokenized text. Pure.
 *
 * A pattern is words separated by spaces, folded like the text. Besides plain words:
 *   `#`        any number ("proses # hari")
 *   `a|b|c`    one of these words or numbers ("proses 1|2|3 hari")
 *   `kerja*`   any word that starts with "kerja"
 *   `..`       up to three other words in between ("paspor .. ditahan")
 * A pattern never matches across the end of a sentence or a line. There is no nesting and no
 * unbounded repetition, so a match costs at most a few steps per token: no catastrophic
 * backtracking is possible.
 */
import { tokenize, type Token } from './adText.js';

export type Element =
  | { k: 'word'; w: string }
  | { k: 'num' }
  | { k: 'alt'; set: ReadonlySet<string> }
  | { k: 'prefix'; p: string }
  | { k: 'gap'; max: number };

/** A compiled pattern, with the owner it belongs to (a group index in the model). */
export interface Pattern {
  source: string;
  elements: Element[];
  owner: number;
}

/** Up to this many words may stand in a `..` gap. */
export const GAP_MAX = 3;

/** Compiles one pattern; returns an error message instead when it cannot be used. */
export function compilePattern(source: string, owner: number, synonyms: ReadonlyMap<string, string>): Pattern | string {
  const elements: Element[] = [];
  for (const piece of source.trim().split(/\s+/)) {
    if (piece === '') continue;
    if (piece === '#') elements.push({ k: 'num' });
    else if (piece === '..') elements.push({ k: 'gap', max: GAP_MAX });
    else if (piece.includes('|')) {
      const set = new Set<string>();
      for (const alt of piece.split('|')) {
        const toks = tokenize(alt, synonyms);
        if (toks.length !== 1) return `"${alt}" in "${piece}" must be one word or one number`;
        set.add((toks[0] as Token).text);
      }
      elements.push({ k: 'alt', set });
    } else if (piece.endsWith('*') && piece.length > 1) {
      const toks = tokenize(piece.slice(0, -1), synonyms);
      if (toks.length !== 1 || (toks[0] as Token).kind !== 'word') return `"${piece}": a prefix must be one word`;
      const p = (toks[0] as Token).text;
      if (p.length < 3) return `"${piece}": a prefix needs at least three letters`;
      elements.push({ k: 'prefix', p });
    } else {
      const toks = tokenize(piece, synonyms);
      if (toks.length === 0) return `"${piece}" has no letters or digits`;
      for (const t of toks) elements.push({ k: 'word', w: t.text });
    }
  }
  if (elements.length === 0) return 'empty pattern';
  if (elements[0]?.k === 'gap' || elements[elements.length - 1]?.k === 'gap') return '".." must stand between words';
  if (elements.filter((e) => e.k === 'gap').length > 2) return 'at most two ".." in a pattern';
  return { source, elements, owner };
}

/** One place a pattern matched: tokens [from, to). */
export interface Match {
  pattern: Pattern;
  from: number;
  to: number;
}

/** The patterns of a model, indexed by what their first element can be. */
export class PhraseIndex {
  private readonly byWord = new Map<string, Pattern[]>();
  private readonly numFirst: Pattern[] = [];
  private readonly prefixFirst: Pattern[] = [];

  constructor(patterns: readonly Pattern[]) {
    for (const p of patterns) {
      const first = p.elements[0] as Element;
      if (first.k === 'word') this.add(first.w, p);
      else if (first.k === 'alt') for (const w of first.set) this.add(w, p);
      else if (first.k === 'num') this.numFirst.push(p);
      else if (first.k === 'prefix') this.prefixFirst.push(p);
    }
  }

  private add(word: string, p: Pattern): void {
    const list = this.byWord.get(word);
    if (list) list.push(p);
    else this.byWord.set(word, [p]);
  }

  /** Every match of every pattern, at every position (overlaps included). */
  findAll(tokens: readonly Token[]): Match[] {
    const out: Match[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] as Token;
      const tryAll = (list: readonly Pattern[] | undefined): void => {
        if (!list) return;
        for (const p of list) {
          const to = matchAt(p.elements, 0, tokens, i, i);
          if (to > i) out.push({ pattern: p, from: i, to });
        }
      };
      tryAll(this.byWord.get(t.text));
      if (t.kind === 'number') tryAll(this.numFirst);
      if (t.kind === 'word' && this.prefixFirst.length > 0) {
        tryAll(this.prefixFirst.filter((p) => t.text.startsWith((p.elements[0] as { p: string }).p)));
      }
    }
    return out;
  }
}

function elementMatches(e: Element, t: Token): boolean {
  switch (e.k) {
    case 'word':
      return t.text === e.w;
    case 'num':
      return t.kind === 'number';
    case 'alt':
      return e.set.has(t.text);
    case 'prefix':
      return t.kind === 'word' && t.text.startsWith(e.p);
    case 'gap':
      return false;
  }
}

/**
 * Matches elements[ei..] at token ti (the pattern started at `first`); returns the end token index
 * (exclusive) or -1. Gaps try the shortest fill first; at most GAP_MAX² paths with two gaps.
 */
function matchAt(elements: readonly Element[], ei: number, tokens: readonly Token[], ti: number, first: number): number {
  if (ei === elements.length) return ti;
  const e = elements[ei] as Element;
  if (e.k === 'gap') {
    for (let skip = 0; skip <= e.max; skip++) {
      const at = ti + skip;
      if (at >= tokens.length) return -1;
      // A gap never crosses a sentence break either.
      if (skip > 0 && (tokens[at - 1] as Token).brk === 2 && at - 1 > first) return -1;
      if (skip > 0 && (tokens[at] as Token).brk === 2) return -1;
      const end = matchAt(elements, ei + 1, tokens, at, first);
      if (end >= 0) return end;
    }
    return -1;
  }
  if (ti >= tokens.length) return -1;
  const t = tokens[ti] as Token;
  if (ti > first && t.brk === 2) return -1;
  if (!elementMatches(e, t)) return -1;
  return matchAt(elements, ei + 1, tokens, ti + 1, first);
}

/**
 * Keeps the longest matches that do not overlap (longest first; at equal length the earlier one,
 * then the owner listed first). A longer phrase therefore wins over a shorter one inside it:
 * "tanpa visa kerja" over "visa kerja".
 */
export function longestNonOverlapping(matches: readonly Match[], tokenCount: number): Match[] {
  const sorted = [...matches].sort((a, b) => b.to - b.from - (a.to - a.from) || a.from - b.from || a.pattern.owner - b.pattern.owner);
  const taken = new Uint8Array(tokenCount);
  const kept: Match[] = [];
  for (const m of sorted) {
    let free = true;
    for (let k = m.from; k < m.to; k++) {
      if (taken[k]) {
        free = false;
        break;
      }
    }
    if (!free) continue;
    for (let k = m.from; k < m.to; k++) taken[k] = 1;
    kept.push(m);
  }
  return kept.sort((a, b) => a.from - b.from);
}
