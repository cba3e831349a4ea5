import { describe, expect, it } from 'vitest';
import { restrictedDamerauLevenshtein as distance } from '../../src/reports/editDistance.js';

describe('restricted Damerau–Levenshtein distance', () => {
  it.each<[string, string, number]>([
    ['', '', 0],
    ['majujaya', 'majujaya', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['majujaya', 'majuraya', 1], // a letter changed
    ['majujaya', 'majujay', 1], // dropped
    ['majujaya', 'majujayaa', 1], // added
    ['majujaya', 'majujaay', 1], // two neighbours swapped
    ['majujaya', 'amjujaya', 1],
    ['sejahtera', 'sejatera', 1],
    ['sejahtera', 'sjahtra', 2],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3], // restricted: a swapped pair is not edited again (unrestricted gives 2)
  ])('%j ↔ %j = %i, both ways', (a, b, expected) => {
    expect(distance(a, b)).toBe(expected);
    expect(distance(b, a)).toBe(expected);
  });

  it('stops at the limit and says "more than the limit"', () => {
    expect(distance('majujaya', 'sinarmas', 2)).toBe(3);
    expect(distance('majujayaabadi', 'maju', 2)).toBe(3);
    expect(distance('majujaya', 'majuraya', 1)).toBe(1);
    expect(distance('majujaya', 'mujaraya', 1)).toBe(2);
  });

  it('agrees with the full computation whenever it is within the limit', () => {
    const names = ['majujaya', 'majuraya', 'mjaujaya', 'majujayaabadi', 'sinarmas', 'sinarjaya', 'binakarya', 'binakarsa', 'jaya', 'maju'];
    for (const a of names) {
      for (const b of names) {
        const full = distance(a, b);
        for (const limit of [0, 1, 2, 3]) {
          expect(distance(a, b, limit)).toBe(full <= limit ? full : limit + 1);
        }
      }
    }
  });

  it('agrees with the textbook full-matrix computation on random names from a small alphabet', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const word = () => Array.from({ length: Math.floor(next() * 9) }, () => 'abc'[Math.floor(next() * 3)]).join('');
    for (let n = 0; n < 3000; n++) {
      const [a, b] = [word(), word()];
      const full = reference(a, b);
      expect(distance(a, b), `${a} ${b}`).toBe(full);
      const limit = Math.floor(next() * 4);
      expect(distance(a, b, limit), `${a} ${b} ≤ ${limit}`).toBe(full <= limit ? full : limit + 1);
    }
  });
});

/** Optimal string alignment over the whole matrix, as textbooks write it. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
