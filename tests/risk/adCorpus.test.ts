/**
 * The labelled corpus of job ads (tests/risk/ads/*.yaml): recall on the high-risk ads (at least
 * 95 %) and the false-high rate on legitimate ones (at most 10 %), both printed with the misses;
 * and, for the record, how well the signs found agree with the signs labelled.
 */
import { describe, expect, it } from 'vitest';
import { loadAdModel } from '../../src/content/adModel.js';
import { analyseAd } from '../../src/risk/adAnalyser.js';
import { HOLDOUT_DIR, loadCorpus } from './adCorpus.js';
import { FLOWS_DIR } from '../support/content.js';

const model = loadAdModel(FLOWS_DIR);
const corpus = loadCorpus();
const results = corpus.map((ad) => ({ ad, a: analyseAd(model, ad.text) }));
const high = results.filter((r) => r.ad.level === 'high');
const legit = results.filter((r) => r.ad.level === 'low');

const pct = (n: number, d: number): string => `${((100 * n) / d).toFixed(1)} %`;
const describeMiss = (r: (typeof results)[number]): string =>
  `  ${r.ad.id}: labelled ${r.ad.level}, got ${r.a.level} [${r.a.signs.map((s) => `${s.id} "${s.evidence}"`).join(', ')}]`;

describe('the labelled ad corpus', () => {
  it('is big and varied enough', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    expect(high.length).toBeGreaterThanOrEqual(30);
    expect(legit.length).toBeGreaterThanOrEqual(20);
    expect(corpus.filter((a) => a.language === 'en').length).toBeGreaterThanOrEqual(8);
    expect(corpus.filter((a) => a.language === 'mixed').length).toBeGreaterThanOrEqual(8);
    expect(new Set(corpus.map((a) => a.id)).size).toBe(corpus.length);
  });

  it('finds the high-risk ads (recall ≥ 95 %) and rarely calls a legitimate one high (≤ 10 %)', () => {
    const missed = high.filter((r) => r.a.level !== 'high');
    const falseHigh = legit.filter((r) => r.a.level === 'high');
    const medium = legit.filter((r) => r.a.level === 'medium');
    const recall = (high.length - missed.length) / high.length;
    const falseHighRate = falseHigh.length / legit.length;
    console.log(
      [
        `ad corpus: ${corpus.length} ads (${high.length} high-risk, ${legit.length} legitimate)`,
        `recall on high-risk ads: ${pct(high.length - missed.length, high.length)} (${high.length - missed.length}/${high.length})`,
        `false-high rate on legitimate ads: ${pct(falseHigh.length, legit.length)} (${falseHigh.length}/${legit.length}); medium: ${medium.length}`,
        ...(missed.length > 0 ? ['missed high-risk ads:', ...missed.map(describeMiss)] : []),
        ...(falseHigh.length > 0 ? ['legitimate ads called high:', ...falseHigh.map(describeMiss)] : []),
        ...(medium.length > 0 ? ['legitimate ads called medium:', ...medium.map(describeMiss)] : []),
      ].join('\n'),
    );
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(falseHighRate).toBeLessThanOrEqual(0.1);
  });

  it('names most of the labelled signs and few others (printed; each ad’s list is a label, not a contract)', () => {
    let labelled = 0;
    let foundLabelled = 0;
    let found = 0;
    const diffs: string[] = [];
    for (const { ad, a } of results) {
      const got = new Set(a.signs.map((s) => s.id));
      labelled += ad.signs.length;
      found += got.size;
      foundLabelled += ad.signs.filter((s) => got.has(s)).length;
      const missing = ad.signs.filter((s) => !got.has(s));
      const extra = [...got].filter((s) => !ad.signs.includes(s));
      if (missing.length + extra.length > 0) diffs.push(`  ${ad.id}: missing [${missing.join(', ')}] extra [${extra.join(', ')}]`);
    }
    console.log(
      [`signs: ${pct(foundLabelled, labelled)} of the labelled signs found, ${pct(foundLabelled, found)} of the signs found were labelled`, ...diffs].join('\n'),
    );
    expect(foundLabelled / labelled).toBeGreaterThanOrEqual(0.85);
    expect(foundLabelled / found).toBeGreaterThanOrEqual(0.85);
  });

  it('prints how the patterns do on the held-out ads (not a gate: see tests/risk/ads-holdout)', () => {
    const held = loadCorpus(HOLDOUT_DIR).map((ad) => ({ ad, a: analyseAd(model, ad.text) }));
    const h = held.filter((r) => r.ad.level === 'high');
    const l = held.filter((r) => r.ad.level === 'low');
    const missed = h.filter((r) => r.a.level !== 'high');
    const falseHigh = l.filter((r) => r.a.level === 'high');
    console.log(
      [
        `held-out ads: ${held.length}; recall ${pct(h.length - missed.length, h.length)} (${h.length - missed.length}/${h.length}), false-high ${pct(falseHigh.length, l.length)} (${falseHigh.length}/${l.length})`,
        ...[...missed, ...falseHigh].map(describeMiss),
      ].join('\n'),
    );
    expect(held.length).toBeGreaterThan(0);
  });

  it('quotes every piece of evidence exactly as the ad wrote it', () => {
    for (const { ad, a } of results) {
      for (const s of [...a.signs, ...a.signs.flatMap((x) => x.spans), ...a.amounts]) {
        expect(ad.text.slice(s.start, s.end), ad.id).toBe(s.evidence);
        expect(s.evidence.length, ad.id).toBeGreaterThan(0);
      }
    }
  });
});
