/**
 * Throughput of the job-ad analyser: ads per second on one core, over the labelled corpus
 * (tests/risk/ads and the held-out ads), after a warm-up; the median of several rounds. Part of
 * `npm run bench`; `npx tsx bench/adAnalyser.ts` runs it alone.
 */
import { fileURLToPath } from 'node:url';
import { loadAdModel } from '../src/content/adModel.js';
import { analyseAd } from '../src/risk/adAnalyser.js';
import { HOLDOUT_DIR, loadCorpus } from '../tests/risk/adCorpus.js';

const WARMUP_PASSES = 50;
const ROUNDS = 7;
const PASSES_PER_ROUND = 100;

/** Ads per second per core (median of ROUNDS rounds), and the corpus size and mean ad length. */
export function measureAdAnalyser(): { ads: number; meanChars: number; rounds: number[]; medianAdsPerSecond: number } {
  const model = loadAdModel(fileURLToPath(new URL('../flows', import.meta.url)));
  const texts = [...loadCorpus(), ...loadCorpus(HOLDOUT_DIR)].map((a) => a.text);
  let sink = 0;
  for (let i = 0; i < WARMUP_PASSES; i++) for (const t of texts) sink += analyseAd(model, t).signs.length;
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < PASSES_PER_ROUND; i++) for (const t of texts) sink += analyseAd(model, t).signs.length;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    rounds.push(Math.round((PASSES_PER_ROUND * texts.length) / seconds));
  }
  if (sink < 0) throw new Error('unreachable');
  const sorted = [...rounds].sort((a, b) => a - b);
  return {
    ads: texts.length,
    meanChars: Math.round(texts.reduce((n, t) => n + t.length, 0) / texts.length),
    rounds,
    medianAdsPerSecond: sorted[Math.floor(ROUNDS / 2)] ?? 0,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const m = measureAdAnalyser();
  console.log(`ad analyser: ${m.medianAdsPerSecond} ads/s per core (median of ${ROUNDS} rounds: ${m.rounds.join(', ')}), ${m.ads} ads of ${m.meanChars} characters on average; target ≥ 2,000`);
}
