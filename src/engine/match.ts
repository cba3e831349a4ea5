/**
 * Answer matching: turns what a person typed into one of the options offered, the way people
 * actually answer on a phone — the option's number, its label in any language, or an everyday
 * yes / no / "don't know". Pure; the word lists come from `flows/commands.yaml`.
 */
import { containsPhrase, fold, words } from '../common/normalize.js';

/** An option as the matcher sees it: its id and its label in every language. */
export interface MatchOption {
  id: string;
  labels: string[];
  /** Other words people use for this option ("pembantu" for household work, "Thailand" for the Mekong countries). */
  aliases?: string[];
  /** The plain answer this option stands for, when it is one (an option with id `yes` means yes). */
  means?: 'yes' | 'no' | 'unknown';
}

/**
 * Labels and aliases come from the content, a few hundred strings that never change, so their
 * folded forms are kept (never the person's text, which would grow without bound).
 */
const foldedContent = new Map<string, string>();
function foldContent(text: string): string {
  let folded = foldedContent.get(text);
  if (folded === undefined) {
    folded = fold(text);
    foldedContent.set(text, folded);
  }
  return folded;
}

/** Folded word lists for yes / no / don't know. */
export interface AnswerWords {
  yes: ReadonlySet<string>;
  no: ReadonlySet<string>;
  /** Phrases, matched as whole words anywhere in the answer ("saya tidak tahu"). */
  unknown: readonly string[];
  /** Polite or filler words that do not change a yes ("iya kak", "yes please"). */
  filler: ReadonlySet<string>;
}

/** Folds the configured word lists once, so matching does no repeated work. */
export function prepareWords(lists: { yes: string[]; no: string[]; unknown: string[]; filler?: string[] }): AnswerWords {
  return {
    yes: new Set(lists.yes.map(fold)),
    no: new Set(lists.no.map(fold)),
    unknown: lists.unknown.map(fold),
    filler: new Set((lists.filler ?? []).map(fold)),
  };
}

/**
 * Classifies a free answer as `yes`, `no` or `unknown`, or undefined when it is none of them.
 * `extraYes` / `extraNo` are words that mean yes or no for the current question only.
 */
export function yesNo(
  folded: string,
  w: AnswerWords,
  extraYes: ReadonlySet<string> = EMPTY,
  extraNo: ReadonlySet<string> = EMPTY,
): 'yes' | 'no' | 'unknown' | undefined {
  if (w.unknown.some((p) => containsPhrase(folded, p))) return 'unknown';
  const isNo = (x: string) => w.no.has(x) || extraNo.has(x);
  const isYes = (x: string) => w.yes.has(x) || extraYes.has(x);
  const ws = words(folded).filter((x) => !w.filler.has(x));
  const first = ws[0];
  if (first === undefined) return undefined;
  if (!ws.every((x) => isNo(x) || isYes(x))) return undefined;
  // A leading negation decides: "tidak ada", "belum pernah", "saya tidak", "tidak aman".
  if (isNo(first)) return 'no';
  return ws.some(isNo) ? undefined : 'yes';
}

const EMPTY: ReadonlySet<string> = new Set();

/** Returns the id of the option the text names, or undefined when it is not clear which one. */
export function matchOption(text: string, options: readonly MatchOption[], w: AnswerWords): string | undefined {
  const folded = fold(text);
  if (folded === '') return undefined;

  if (/^\d{1,2}$/.test(folded)) return options[Number(folded) - 1]?.id;

  for (const o of options) {
    if (foldContent(o.id) === folded || o.labels.some((l) => foldContent(l) === folded) || o.aliases?.some((a) => foldContent(a) === folded)) return o.id;
  }

  const wordsMeaning = (m: string) => new Set(options.filter((o) => (o.means ?? o.id) === m).flatMap((o) => (o.aliases ?? []).map(foldContent)));
  const yn = yesNo(folded, w, wordsMeaning('yes'), wordsMeaning('no'));
  const meant = yn === undefined ? undefined : options.find((o) => (o.means ?? o.id) === yn);
  if (meant) return meant.id;

  // Otherwise the option whose label or alias is the longest phrase found in the text ("tolong
  // cek tawaran kerja saya", "pembantu rumah tangga"), or whose label contains the text
  // ("malaysia"). A tie between two options is no answer: better to ask again than to guess.
  let best: string | undefined;
  let bestLength = 0;
  let tie = false;
  for (const o of options) {
    const length = longestHit(folded, o, w.no);
    if (length > bestLength) {
      best = o.id;
      bestLength = length;
      tie = false;
    } else if (length > 0 && length === bestLength && best !== o.id) tie = true;
  }
  if (best !== undefined && !tie) return best;
  return undefined;
}

/**
 * The length of the longest label or alias of `o` found in `folded` (not right after a no-word:
 * "bukan calo" does not name the calo option), or of `folded` found in a label.
 */
function longestHit(folded: string, o: MatchOption, no: ReadonlySet<string>): number {
  let longest = 0;
  const found = (phrase: string) => phrase !== '' && containsPhrase(folded, phrase) && !negated(folded, phrase, no);
  for (const label of o.labels) {
    const l = foldContent(label);
    if (l.length >= 4 && found(l)) longest = Math.max(longest, l.length);
    if (folded.length >= 3 && containsPhrase(l, folded)) longest = Math.max(longest, folded.length);
  }
  for (const alias of o.aliases ?? []) {
    const a = foldContent(alias);
    if (found(a)) longest = Math.max(longest, a.length);
  }
  return longest;
}

/** True when every occurrence of `phrase` in `folded` comes right after a no-word ("bukan", "tidak"). */
function negated(folded: string, phrase: string, no: ReadonlySet<string>): boolean {
  const text = ` ${folded} `;
  let at = text.indexOf(` ${phrase} `);
  while (at >= 0) {
    const before = text.slice(0, at).trim().split(' ').pop() ?? '';
    if (!no.has(before)) return false;
    at = text.indexOf(` ${phrase} `, at + 1);
  }
  return true;
}
