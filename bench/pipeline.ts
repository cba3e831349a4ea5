/**
 * The end-to-end benchmark of the real pipeline, and its same-run baseline. Everything runs on
 * loopback: a redis-server, the fake Graph API and the fake Bot API of the channel tests (in this
 * process), the app built and started in production mode (its own process), and the load
 * generator (its own process). It checks that every inbound message produced exactly its replies
 * at the fakes — nothing lost, nothing doubled — and fails otherwise.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startFakeBotApi } from '../tests/support/fakeBotApi.js';
import { startFakeGraphApi } from '../tests/support/fakeGraphApi.js';
import { freePort, startRedis } from '../tests/support/redisServer.js';
import { chatOf, expectedTexts, phoneOf, WALK } from './walk.js';
import { TEST_DATA_KEY } from '../tests/support/dataKey.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GRAPH_TOKEN = 'bench-graph-token';
const PHONE_ID = '106540352242922';
const TG_TOKEN = '6100000001:AAbench-token';
const APP_SECRET = 'bench-app-secret';
const TG_SECRET = 'bench-telegram-secret';

/** What the load generator reports. */
export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  finishedAt: number;
}

export interface PipelineFigures {
  people: number;
  inboundMessages: number;
  load: LoadResult;
  outgoing: { expected: number; delivered: number; lost: number; doubled: number; misordered: number; perSecond: number; lagAfterLastInboundMs: number };
  appRssMb: number;
}


async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function httpOk(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/** Runs the load generator and returns its figures. */
function runLoad(job: object): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load.ts'], { cwd: ROOT, env: { ...process.env, LOAD_JOB: JSON.stringify(job) }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as LoadResult) : reject(new Error(`load generator exited ${code}`))));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Builds the app (production output in dist/). */
export function build(): void {
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed');
}

/** The real pipeline under load: `people` simulated people, each walking the whole check. */
export async function runPipelineBench(o: {
  people: number;
  connections: number;
  deliveryTimeoutMs: number;
  /** Sends per second to one Telegram chat; the real default (1) unless a quick smoke run raises it. */
  telegramChatMps?: number;
}): Promise<PipelineFigures> {
  const redis = await startRedis();
  const graph = await startFakeGraphApi({ token: GRAPH_TOKEN, phoneNumberId: PHONE_ID });
  const bot = await startFakeBotApi({ token: TG_TOKEN });
  const port = await freePort();
  // BENCH_PROFILE=<dir> writes a CPU profile of the app (node --cpu-prof) to find the hot spots.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const app = spawn(process.execPath, [...profile, 'dist/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      REDIS_URL: redis.url,
      DATA_KEY: TEST_DATA_KEY,
      WHATSAPP_ACCESS_TOKEN: GRAPH_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'bench',
      WHATSAPP_GRAPH_URL: graph.url,
      // The fakes do not throttle; the real limits would make the delivery take an hour.
      WHATSAPP_MPS: '100000',
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      TELEGRAM_API_ROOT: bot.url,
      TELEGRAM_MPS: '100000',
      TELEGRAM_CHAT_MPS: String(o.telegramChatMps ?? 1),
      // Shorter than the default 30 s, so that a duplicate from a reclaim shows up before the
      // accounting below, yet long enough not to churn under this load.
      OUTBOX_RECLAIM_SECONDS: '10',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await until(
      () => {
        if (app.exitCode !== null) throw new Error(`the app exited with code ${app.exitCode} (its error is printed above)`);
        return httpOk(`http://127.0.0.1:${port}/readyz`);
      },
      'the app to be ready',
      30_000,
    );
    const perPerson = expectedTexts();
    const waPeople = Math.ceil(o.people / 2);
    const tgPeople = Math.floor(o.people / 2);
    const expected = waPeople * perPerson.whatsapp.length + tgPeople * perPerson.telegram.length;
    const delivered = () => graph.sent.length + bot.callsOf('sendMessage').filter((c) => c.outcome.kind === 'ok').length;

    const started = Date.now();
    const load = await runLoad({ url: `http://127.0.0.1:${port}`, people: o.people, connections: o.connections, mix: 'both', appSecret: APP_SECRET, telegramSecret: TG_SECRET, phoneNumberId: PHONE_ID, runId: 'p' });
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${app.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    await until(() => delivered() >= expected, `${expected} sends at the fakes`, o.deliveryTimeoutMs);
    const deliveredAt = Date.now();
    // Anything sent twice (a reclaim after OUTBOX_RECLAIM_SECONDS) would arrive within this wait.
    await new Promise((r) => setTimeout(r, 12_000));

    // Nothing lost, nothing doubled, nothing out of order: every person saw exactly their walk.
    let lost = 0;
    let doubled = 0;
    let misordered = 0;
    for (let i = 0; i < o.people; i++) {
      const want = i % 2 === 0 ? perPerson.whatsapp : perPerson.telegram;
      const have = i % 2 === 0 ? graph.textsTo(phoneOf(i)) : bot.textsTo(chatOf(i));
      lost += Math.max(0, want.length - have.length);
      doubled += Math.max(0, have.length - want.length);
      if (have.length === want.length && have.some((t, k) => t !== want[k])) misordered += 1;
    }
    return {
      people: o.people,
      inboundMessages: o.people * WALK.length,
      load,
      outgoing: {
        expected,
        delivered: delivered(),
        lost,
        doubled,
        misordered,
        perSecond: expected / ((deliveredAt - started) / 1000),
        lagAfterLastInboundMs: Math.max(0, deliveredAt - load.finishedAt),
      },
      appRssMb: Math.round(rss),
    };
  } finally {
    await stop(app);
    await graph.close();
    await bot.close();
    await redis.stop();
  }
}

/** The baseline under the same kind of load: HMAC + one Redis SET + 200, WhatsApp payloads only. */
export async function runBaselineBench(o: { people: number; connections: number }): Promise<LoadResult> {
  const redis = await startRedis();
  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', 'bench/baseline.ts'], { cwd: ROOT, env: { ...process.env, PORT: String(port), REDIS_URL: redis.url, APP_SECRET }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout?.once('data', () => resolve());
      server.once('exit', (code) => reject(new Error(`the baseline server exited with code ${code}`)));
    });
    return await runLoad({ url: `http://127.0.0.1:${port}`, people: o.people, connections: o.connections, mix: 'whatsapp', appSecret: APP_SECRET, telegramSecret: TG_SECRET, phoneNumberId: PHONE_ID, runId: 'b' });
  } finally {
    await stop(server);
    await redis.stop();
  }
}
