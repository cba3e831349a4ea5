/** The ad analyser's tokenizer (src/risk/adText.ts). */
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/risk/adText.js';

describe('the tokenizer', () => {
  it('keeps every span on the original text', () => {
    const text = 'GAJI💰15JT!! Ｒｐ１５.０００ dü 𝟏𝟓jt';
    for (const t of tokenize(text)) expect(text.slice(t.start, t.end).length).toBeGreaterThan(0);
    expect(tokenize(text).map((t) => t.text)).toEqual(['gaji', '15', 'jt', 'rp', '15.000', 'du', '15', 'jt']);
  });

  it('folds capitals, accents, fancy letters and stretched words, and applies synonyms', () => {
    const synonyms = new Map([['tnp', 'tanpa']]);
    expect(tokenize('TNP Pengalamannnn, CÉPAT, 𝐆𝐀𝐉𝐈', synonyms).map((t) => t.text)).toEqual(['tanpa', 'pengalaman', 'cepat', 'gaji']);
  });

  it('marks clause and sentence breaks between tokens', () => {
    expect(tokenize('a b, c. d\ne 🔥 f-g').map((t) => [t.text, t.brk])).toEqual([
      ['a', 0], ['b', 0], ['c', 1], ['d', 2], ['e', 2], ['f', 1], ['g', 0],
    ]);
  });

  it('keeps separators inside numbers only between digits, and currency signs apart', () => {
    expect(tokenize('NT$30.000, 1,5jt 3.').map((t) => [t.text, t.kind])).toEqual([
      ['nt', 'word'], ['$', 'symbol'], ['30.000', 'number'], ['1,5', 'number'], ['jt', 'word'], ['3', 'number'],
    ]);
  });
});
