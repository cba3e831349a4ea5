/**
 * Properties of the ad analyser on any input up to 10,000 characters (the API's limit): it never
 * throws, it finishes quickly (no catastrophic backtracking), and every piece of evidence is a span
 * of the original text. Inputs cover every Unicode plane, and the pathological cases for the
 * patterns: long runs of one character, many digits, nested punctuation, words of the patterns
 * repeated thousands of times.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadAdModel } from '../../src/content/adModel.js';
import { analyseAd, type AdAnalysis } from '../../src/risk/adAnalyser.js';
import { FLOWS_DIR } from '../support/content.js';

const model = loadAdModel(FLOWS_DIR);
const MAX = 10_000;
/** Per ad. Generous for a loaded CI machine; typical ads take well under a millisecond. */
const BUDGET_MS = 50;
// `endOnFailure`: a failing run is reported with its input at once; shrinking inputs of 10,000
// characters would take minutes.

/** Milliseconds for one analysis: the fastest of up to three tries, so that a pause of a busy machine is not blamed on the analyser (slowness of its own repeats). */
function timed(text: string): { a: AdAnalysis; ms: number } {
  let best = Infinity;
  let a: AdAnalysis | undefined;
  for (let attempt = 0; attempt < 3 && best >= BUDGET_MS; attempt++) {
    const t0 = performance.now();
    a = analyseAd(model, text);
    best = Math.min(best, performance.now() - t0);
  }
  return { a: a as AdAnalysis, ms: best };
}

function check(text: string): void {
  const { a, ms } = timed(text);
  expect(ms, `took ${ms.toFixed(1)} ms on ${JSON.stringify(text.slice(0, 80))}… (${text.length} chars)`).toBeLessThan(BUDGET_MS);
  expect(['low', 'medium', 'high']).toContain(a.level);
  for (const s of [...a.signs, ...a.signs.flatMap((x) => x.spans), ...a.amounts, ...Object.values(a.found)]) {
    expect(s.start).toBeGreaterThanOrEqual(0);
    expect(s.end).toBeLessThanOrEqual(text.length);
    expect(text.slice(s.start, s.end)).toBe(s.evidence);
  }
  for (const x of a.amounts) expect(Number.isFinite(x.value) && x.value > 0).toBe(true);
}

// Words of the patterns and the number syntax, so that random texts actually exercise the matcher.
const PIECES = [
  'gaji', 'gj', '15jt', 'Rp', 'Rp.', '15.000.000', 'USD', '1,000', '$', 'NT$', 'RM', 'juta', 'jt', 'k', '-', ' - ',
  'sampai', 'tanpa', 'tidak', 'bukan', 'visa', 'kerja', 'turis', 'kunjungan', 'paspor', 'ditahan', 'Kamboja',
  'admin', 'ART', 'Dubai', 'calo', 'DP', 'potong', 'berangkat', 'cepat', 'proses', '3', 'hari', '..', '/', ',',
  '.', '!!!', '\n', '🔥', '✅', '💰', '𝐆𝐀𝐉𝐈', 'é', '\u0301', ' ', '  ', 'atau', 'hati-hati', 'jangan', 'bilang',
];
const adLike = fc.array(fc.constantFrom(...PIECES), { maxLength: 2500, size: 'max' }).map((xs) => xs.join(' ').slice(0, MAX));

describe('the ad analyser on any input', () => {
  it('never throws and is fast on any string, in every Unicode plane', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: MAX }), check), { numRuns: 200, endOnFailure: true });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: MAX }), check), { numRuns: 100, endOnFailure: true });
    fc.assert(fc.property(fc.string({ unit: 'binary-ascii', maxLength: MAX }), check), { numRuns: 100, endOnFailure: true });
    // Long texts too: by default fast-check keeps strings short.
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: MAX, size: 'max' }), check), { numRuns: 50, endOnFailure: true });
    fc.assert(fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: MAX, size: 'max' }), check), { numRuns: 50, endOnFailure: true });
  });

  it('never throws and is fast on ad-like texts made of the patterns’ own words', () => {
    fc.assert(fc.property(adLike, check), { numRuns: 300, endOnFailure: true });
  });

  it('never throws and is fast on long runs and repetitions', () => {
    const runs = fc
      .tuple(fc.constantFrom('a', '9', '.', ',', '$', '-', ' ', '\n', '🔥', '\u0301', '𝟏', 'tanpa ', 'gaji 1', '1.', '1,', 'Rp ', '((', '!?', 'paspor .. '), fc.integer({ min: 1, max: MAX }))
      .map(([c, n]) => c.repeat(Math.ceil(n / c.length)).slice(0, MAX));
    fc.assert(fc.property(runs, check), { numRuns: 200, endOnFailure: true });
  });

  it.each([
    ['one letter', 'a'.repeat(MAX)],
    ['one digit', '9'.repeat(MAX)],
    ['digits and dots', '1.'.repeat(MAX / 2)],
    ['digits and commas', '1,000'.repeat(MAX / 5)],
    ['a range chain', '1-'.repeat(MAX / 2)],
    ['nested punctuation', '(['.repeat(MAX / 4) + '])'.repeat(MAX / 4)],
    ['combining marks', `a${'\u0301'.repeat(MAX - 1)}`],
    ['emoji', '🔥'.repeat(MAX / 2)],
    ['astral letters', '𝐆'.repeat(MAX / 2)],
    ['lone surrogates', '\ud800'.repeat(MAX)],
    ['negators', 'tanpa '.repeat(MAX / 6)],
    ['a phrase repeated', 'tidak perlu visa kerja '.repeat(MAX / 23)],
    ['money repeated', 'gaji Rp 15.000.000 - 20 juta '.repeat(MAX / 29)],
    ['gap bait', 'paspor '.repeat(MAX / 7)],
    ['thousands of amounts', 'gaji 1jt '.repeat(MAX / 9)],
    ['prefix bait', 'kerjaaaaa '.repeat(MAX / 10)],
    ['a long word', `${'ab'.repeat(MAX / 2)}`],
  ])('handles %s', (_name, text) => {
    expect(text.length).toBeLessThanOrEqual(MAX);
    check(text);
  });
});
