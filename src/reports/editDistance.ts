/**
 * Edit distance for tolerant name matching: the restricted Damerau–Levenshtein distance
 * (optimal string alignment), in which a swap of two neighbouring letters ("Jyaa" for "Jaya") is
 * one edit, like a letter added, dropped or changed. Typos made on a phone keyboard are mostly
 * these four. Pure.
 */

/**
 * The restricted Damerau–Levenshtein distance between `a` and `b`, or `max + 1` as soon as it is
 * known to exceed `max` (matching only needs to know "within the limit, and how close").
 * Compares UTF-16 code units; callers pass folded names, which are plain letters and digits.
 */
export function restrictedDamerauLevenshtein(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (n === 0) return m;
  if (m === 0) return n;
  // Three rolling rows: the one before last is needed for a swap.
  let before = new Array<number>(m + 1).fill(0);
  let previous = Array.from({ length: m + 1 }, (_, j) => j);
  let current = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    current[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) {
        d = Math.min(d, before[j - 2]! + 1);
      }
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // Row minima never decrease: a cell comes from the row above (+0 or +1), its left neighbour,
    // or a swap (+1 on the row before, whose minimum is at most one below this row's), so once a
    // whole row is over the limit the answer is too.
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  const result = previous[m]!;
  return result > max ? max + 1 : result;
}
