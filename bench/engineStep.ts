/**
 * Micro-benchmark of the pure engine: how long one `step` takes, over whole job-offer checks
 * (menu → 12 answers → result → the offer of staff → menu), after a warm-up: the median and p99 per step over
 * several rounds. Part of `npm run bench`.
 */
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../src/content/engine.js';
import { step } from '../src/engine/step.js';
import type { Input, Session } from '../src/engine/types.js';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const engine = loadEngine({ flowsDir: root('flows'), localesDir: root('locales') }, 'id', 24 * 3600 * 1000);

/** A realistic high-risk walk, typed the way people type. */
const WALK: Input[] = [
  { kind: 'text', text: 'halo' },
  { kind: 'choice', id: 'check' },
  { kind: 'text', text: 'timur tengah' },
  { kind: 'text', text: '1' },
  { kind: 'choice', id: 'private_household' },
  { kind: 'text', text: 'calo' },
  // The recruiter's number or agency (a free-text question): not known, so nothing to look up.
  { kind: 'text', text: 'tidak tahu' },
  { kind: 'text', text: '2' },
  { kind: 'text', text: 'tidak ada' },
  { kind: 'text', text: '2' },
  { kind: 'text', text: 'iya' },
  { kind: 'text', text: 'ya betul' },
  { kind: 'text', text: 'tidak tahu' },
  { kind: 'text', text: 'gak' },
  { kind: 'text', text: '1' },
  // The offer of hotline staff declined: the walk ends back at the menu.
  { kind: 'text', text: 'tidak' },
];

function walkOnce(now: number, timings: number[] | null): void {
  let session: Session | null = null;
  for (const input of WALK) {
    const t0 = process.hrtime.bigint();
    const r = step(engine, session, input, { channel: 'whatsapp', now });
    const t1 = process.hrtime.bigint();
    timings?.push(Number(t1 - t0));
    session = r.session;
  }
  if (session?.at?.node !== 'choose') throw new Error(`the walk did not finish at the menu: ${JSON.stringify(session?.at)}`);
}

const WARMUP_WALKS = 2_000;
const ROUNDS = 5;
const WALKS_PER_ROUND = 2_000;

/** Measures one engine step: median and p99 nanoseconds, the median of five rounds. */
export function measureEngineStep(): { steps: number; medianNs: number; p99Ns: number } {
  for (let i = 0; i < WARMUP_WALKS; i++) walkOnce(1_800_000_000_000, null);
  const medians: number[] = [];
  const p99s: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const timings: number[] = [];
    for (let i = 0; i < WALKS_PER_ROUND; i++) walkOnce(1_800_000_000_000 + i, timings);
    timings.sort((a, b) => a - b);
    medians.push(timings[Math.floor(timings.length / 2)] ?? 0);
    p99s.push(timings[Math.floor(timings.length * 0.99)] ?? 0);
}
medians.sort((a, b) => a - b);
p99s.sort((a, b) => a - b);
const median = medians[Math.floor(ROUNDS / 2)] ?? 0;
const p99 = p99s[Math.floor(ROUNDS / 2)] ?? 0;
return { steps: ROUNDS * WALKS_PER_ROUND * WALK.length, medianNs: median, p99Ns: p99 };
}
