/** Phrase patterns over tokens (src/risk/phrases.ts): the syntax, and the longest-match rule. */
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/risk/adText.js';
import { PhraseIndex, compilePattern, longestNonOverlapping, type Pattern } from '../../src/risk/phrases.js';

const NO_SYNONYMS = new Map<string, string>();
const compile = (source: string, owner = 0): Pattern => {
  const p = compilePattern(source, owner, NO_SYNONYMS);
  if (typeof p === 'string') throw new Error(p);
  return p;
};
/** The spans (as written) where the patterns match, longest first where they overlap. */
const find = (sources: string[], text: string): string[] => {
  const tokens = tokenize(text);
  const index = new PhraseIndex(sources.map((s, i) => compile(s, i)));
  return longestNonOverlapping(index.findAll(tokens), tokens.length).map((m) =>
    text.slice(tokens[m.from]?.start, tokens[m.to - 1]?.end),
  );
};

describe('phrase patterns', () => {
  it('match whole words, folded', () => {
    expect(find(['visa turis'], 'Pakai VISA Turis ya')).toEqual(['VISA Turis']);
    expect(find(['visa turis'], 'visaturis')).toEqual([]);
  });

  it('know numbers, alternatives, prefixes and short gaps', () => {
    expect(find(['proses # hari'], 'proses 3 hari')).toEqual(['proses 3 hari']);
    expect(find(['proses 1|2|3 hari'], 'proses 3 hari, proses 30 hari')).toEqual(['proses 3 hari']);
    expect(find(['berangkat*'], 'keberangkatan berangkatnya')).toEqual(['berangkatnya']);
    expect(find(['paspor .. ditahan'], 'paspor akan ditahan; paspor a b c ditahan; paspor a b c d ditahan')).toEqual([
      'paspor akan ditahan',
      'paspor a b c ditahan',
    ]);
  });

  it('never run across the end of a sentence', () => {
    expect(find(['berangkat cepat'], 'berangkat.\nCepat')).toEqual([]);
    expect(find(['paspor .. ditahan'], 'paspor ok. ditahan')).toEqual([]);
  });

  it('keep the longest of overlapping matches', () => {
    expect(find(['visa kerja', 'tidak perlu visa kerja'], 'tidak perlu visa kerja')).toEqual(['tidak perlu visa kerja']);
  });

  it.each([
    ['..', '".." must stand between words'],
    ['.. visa', '".." must stand between words'],
    ['a .. b .. c .. d', 'at most two ".." in a pattern'],
    ['ke*', '"ke*": a prefix needs at least three letters'],
    ['a|b c|!', '"!" in "c|!" must be one word or one number'],
    ['!!!', '"!!!" has no letters or digits'],
  ])('reject %j', (source, message) => {
    expect(compilePattern(source, 0, NO_SYNONYMS)).toBe(message);
  });
});
