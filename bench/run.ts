/**
 * `npm run bench`: the whole benchmark on this machine, each figure next to the same-run
 * baseline. Prints a table and writes `bench/results/<date>.json`.
 *
 * 1. The real pipeline end to end: 10,000 simulated people walk the job-offer check on WhatsApp
 *    and Telegram (signed webhooks, production build, Redis, both fakes), with "nothing lost,
 *    nothing doubled" checked at the fakes.
 * 2. The baseline: a bare Fastify app that verifies the HMAC, does one Redis SET and answers 200.
 * 3. Redis memory per idle session (100,000 sessions) and the app's RSS after the load.
 * 4. The engine step on its own.
 * 5. The job-ad analyser on its own: ads per second per core over the labelled corpus.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { measureAdAnalyser } from './adAnalyser.js';
import { measureEngineStep } from './engineStep.js';
import { build, runBaselineBench, runPipelineBench } from './pipeline.js';
import { measureRedisMemory } from './redisMemory.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);

build();
const pipeline = await runPipelineBench({ people: PEOPLE, connections: CONNECTIONS, deliveryTimeoutMs: 15 * 60_000 });
const baseline = await runBaselineBench({ people: PEOPLE, connections: CONNECTIONS });
const memory = await measureRedisMemory();
const engine = measureEngineStep();
const adAnalyser = measureAdAnalyser();

const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
const ratio = pipeline.load.perSecond / baseline.perSecond;
const rows: Array<[string, string, string]> = [
  ['inbound messages/s (Waspada)', pipeline.load.perSecond.toFixed(0), '≥ 5,000'],
  ['inbound messages/s (baseline)', baseline.perSecond.toFixed(0), ''],
  ['Waspada / baseline', `${(ratio * 100).toFixed(0)} %`, '≥ 50 %'],
  ['latency p50 / p99 / max (ms)', `${pipeline.load.p50} / ${pipeline.load.p99} / ${pipeline.load.max}`, 'p99 < 50'],
  ['baseline latency p50 / p99 / max (ms)', `${baseline.p50} / ${baseline.p99} / ${baseline.max}`, ''],
  ['errors (errors + timeouts + non-2xx)', String(pipeline.load.errors + pipeline.load.timeouts + pipeline.load.non2xx), '0'],
  ['outgoing sends delivered to the fakes/s', pipeline.outgoing.perSecond.toFixed(0), ''],
  ['lag: last inbound → last send delivered (ms)', String(pipeline.outgoing.lagAfterLastInboundMs), ''],
  ['sends expected / delivered / lost / doubled / people out of order', `${pipeline.outgoing.expected} / ${pipeline.outgoing.delivered} / ${pipeline.outgoing.lost} / ${pipeline.outgoing.doubled} / ${pipeline.outgoing.misordered}`, 'none'],
  ['Redis bytes per idle session (at the menu)', String(memory.bytes_per_session_at_menu_incl_inbound_id), '≤ 1,024'],
  ['app RSS after the load (MB)', String(pipeline.appRssMb), ''],
  ['engine step median / p99 (ns)', `${engine.medianNs} / ${engine.p99Ns}`, ''],
  ['ad analyser ads/s per core (median)', String(adAnalyser.medianAdsPerSecond), '≥ 2,000'],
];
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`\nWaspada benchmark — ${machine.cpus} × ${machine.cpu}, ${machine.memoryGb} GiB, Node ${machine.node}; ${PEOPLE} people, ${pipeline.inboundMessages} messages, ${CONNECTIONS} connections\n`);
for (const [name, value, target] of rows) console.log(`${name.padEnd(width)}  ${value.padStart(24)}  ${target}`);

const results = { date: new Date().toISOString(), machine, people: PEOPLE, connections: CONNECTIONS, pipeline, baseline, ratio, memory, engine, adAnalyser };
const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}${results.date.slice(0, 10)}.json`, `${JSON.stringify(results, null, 2)}\n`);
if (pipeline.outgoing.lost > 0 || pipeline.outgoing.doubled > 0 || pipeline.outgoing.misordered > 0) {
  console.error('\nFAILED: messages were lost, doubled or out of order');
  process.exit(1);
}
