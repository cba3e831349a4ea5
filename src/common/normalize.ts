/**
 * Text folding shared by the answer matcher, the keyword interrupts and (later) the ad analyser
 * and recruiter matching. Pure.
 */

const COMBINING_MARKS = /\p{M}+/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/**
 * Folds a text for comparison: lower case, accents removed, every run of punctuation, emoji or
 * white space turned into one space, trimmed. `"  Ya!!, BETUL 👍"` becomes `"ya betul"`.
 */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(NOT_WORD, ' ').trim();
}

/** Splits a folded text into its words. */
export function words(folded: string): string[] {
  return folded === '' ? [] : folded.split(' ');
}

/** True when `phrase` (folded) occurs in `folded` as whole words, not inside another word. */
export function containsPhrase(folded: string, phrase: string): boolean {
  if (phrase === '') return false;
  return ` ${folded} `.includes(` ${phrase} `);
}
