/**
 * The fuzz tests' harness: the real app (buildApp) on a real redis-server, with WhatsApp and
 * Telegram pointed at the loopback fakes of the Graph API and the Bot API, and a watcher that
 * sees every write the app makes to Redis.
 *
 * The app runs without an in-process sender (`SENDERS=none`): nothing drains the outbox or
 * writes in the background, so every write Redis sees while a request is in flight is that
 * request's doing. The watcher subscribes to Redis keyspace notifications (every write command
 * of every client, overwrites of existing keys included, not only new keys) and closes each
 * request with a barrier: a PUBLISH on the same server after the answer, whose message can only
 * arrive after the notifications of every command Redis ran before it.
 *
 * What a refused request may write: nothing, except keys that hold no personal data and are
 * documented as such in src/storage/keys.ts: the pace keys `wsp:rl:…` (a next-free time under a
 * hash of the client's address, gone a second after the pace is at rest). The chat API's
 * per-address limit writes one on every request, refused ones included, as it must (a client
 * that sends garbage is still paced); its key must not hold the address itself.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { createClient } from 'redis';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { ERRORS } from '../../src/errors.js';
import { startFakeBotApi, type FakeBotApi } from '../support/fakeBotApi.js';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fakeGraphApi.js';
import { startRedis, untilReady, type RedisServer } from '../support/redisServer.js';
import { preview } from './payloads.js';

export const WHATSAPP = {
  secret: 'fuzz-app-secret',
  verifyToken: 'fuzz-verify-token',
  accessToken: 'fuzz-access-token',
  phoneNumberId: '106540352242922',
} as const;
export const TELEGRAM = { token: '6100000001:AAfuzz-token_for-waspada', secret: 'fuzz-webhook-secret' } as const;

/** Keys a refused request may write: pace keys, documented in src/storage/keys.ts as holding no personal data. */
export const WRITABLE_WITHOUT_PERSONAL_DATA: readonly RegExp[] = [/^wsp:rl:/];
/** The address `app.inject` requests come from: no key may carry it. */
const CLIENT_ADDRESS = '127.0.0.1';
/** A write that may be left behind by a refused request. */
const harmless = (key: string): boolean => WRITABLE_WITHOUT_PERSONAL_DATA.some((re) => re.test(key)) && !key.includes(CLIENT_ADDRESS);

/** Every catalogue code a client may see. */
export const CATALOGUE_CODES: ReadonlySet<string> = new Set(Object.values(ERRORS).map((e) => e.code));

/** Events Redis raises by itself (a TTL ran out, memory pressure), not because a client wrote. */
const SELF_EVENTS = new Set(['expired', 'evicted']);

/** One write Redis reported: the event (`set`, `xadd`, `del`…) and the key. */
export interface Write {
  event: string;
  key: string;
}

/** The keyspace in brief: every key name, and the length of every stream. */
export interface Keyspace {
  keys: string[];
  streams: Record<string, number>;
}

/** The fuzzed app and what the properties need around it. */
export interface FuzzRig {
  app: FastifyInstance;
  /** Runs `request` and returns its answer with every write Redis saw until the answer was in. */
  observe(request: () => Promise<LightMyRequestResponse>): Promise<{ res: LightMyRequestResponse; writes: Write[] }>;
  /** The keyspace now (SCAN of the key names, XLEN of each stream). */
  keyspace(): Promise<Keyspace>;
  /** Writes to keys outside {@link WRITABLE_WITHOUT_PERSONAL_DATA}. */
  junk(writes: Write[]): Write[];
  /** Log lines at error level or above since the start (a 500 is always logged there). */
  errorLines(): string[];
  /** Unhandled rejections and uncaught exceptions since the start. */
  crashes(): unknown[];
  close(): Promise<void>;
}

/** Starts redis-server, the two fakes and the app with every channel on. */
export async function startRig(): Promise<FuzzRig> {
  const crashed: unknown[] = [];
  const onCrash = (err: unknown): void => {
    crashed.push(err);
  };
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);

  const redis: RedisServer = await startRedis();
  const graph: FakeGraphApi = await startFakeGraphApi({ token: WHATSAPP.accessToken, phoneNumberId: WHATSAPP.phoneNumberId });
  const bot: FakeBotApi = await startFakeBotApi({ token: TELEGRAM.token });

  const errors: string[] = [];
  const app = await buildApp({
    config: parseConfig({
      LOG_LEVEL: 'error',
      REDIS_URL: redis.url,
      SENDERS: 'none',
      HOTLINE: 'on',
      // For encryption at rest (32 random bytes): ignored by a build that does not read it.
      DATA_KEY: randomBytes(32).toString('base64'),
      WHATSAPP_ACCESS_TOKEN: WHATSAPP.accessToken,
      WHATSAPP_PHONE_NUMBER_ID: WHATSAPP.phoneNumberId,
      WHATSAPP_APP_SECRET: WHATSAPP.secret,
      WHATSAPP_VERIFY_TOKEN: WHATSAPP.verifyToken,
      WHATSAPP_GRAPH_URL: graph.url,
      TELEGRAM_BOT_TOKEN: TELEGRAM.token,
      TELEGRAM_WEBHOOK_SECRET: TELEGRAM.secret,
      TELEGRAM_API_ROOT: bot.url,
      // Thousands of requests from one address: the per-address limits of the chat API are not what is fuzzed.
      CHAT_RATE_PER_MINUTE: '100000',
      CHAT_RATE_BURST: '10000',
      CHAT_UPDATES_RATE_PER_MINUTE: '100000',
      CHAT_UPDATES_RATE_BURST: '10000',
    }),
    logStream: { write: (line: string) => void errors.push(line) },
  });
  await app.ready();
  await untilReady(app);

  // The watcher: one connection for commands, one subscribed to every write event and the barrier.
  const command = createClient({ url: redis.url });
  const subscriber = command.duplicate();
  await Promise.all([command.connect(), subscriber.connect()]);
  await command.configSet('notify-keyspace-events', 'EA');
  // No fsync on every write (startRedis's default, for the crash tests): durability is not fuzzed here, speed is needed.
  await command.configSet('appendonly', 'no');
  let seen: Write[] = [];
  let barrier: { n: string; resolve: () => void } | undefined;
  await subscriber.pSubscribe('__keyevent@0__:*', (key, channel) => {
    const event = channel.slice(channel.indexOf(':') + 1);
    if (!SELF_EVENTS.has(event)) seen.push({ event, key });
  });
  await subscriber.subscribe('fuzz:barrier', (n) => {
    if (barrier?.n === n) barrier.resolve();
  });
  let barriers = 0;
  /** Resolves once every notification of the commands Redis ran before this call has arrived. */
  const settle = async (): Promise<void> => {
    const n = String(++barriers);
    const arrived = new Promise<void>((resolve) => (barrier = { n, resolve }));
    await command.publish('fuzz:barrier', n);
    await arrived;
  };

  return {
    app,
    async observe(request) {
      await settle();
      seen = [];
      const res = await request();
      await settle();
      const writes = seen;
      seen = [];
      return { res, writes };
    },
    async keyspace() {
      const keys: string[] = [];
      for await (const batch of command.scanIterator({ COUNT: 1000 })) keys.push(...batch);
      const streams: Record<string, number> = {};
      for await (const batch of command.scanIterator({ COUNT: 1000, TYPE: 'stream' })) {
        for (const key of batch) streams[key] = await command.xLen(key);
      }
      return { keys: keys.sort(), streams };
    },
    junk: (writes) => writes.filter((w) => !harmless(w.key)),
    errorLines: () => errors.filter((line) => (JSON.parse(line) as { level: number }).level >= 50),
    crashes: () => [...crashed],
    async close() {
      await app.close();
      await Promise.all([subscriber.close(), command.close()]);
      await Promise.all([graph.close(), bot.close()]);
      await redis.stop();
      process.off('unhandledRejection', onCrash);
      process.off('uncaughtException', onCrash);
    },
  };
}

/** The rig of the current test file: started before its tests, closed after them. */
export function useRig(): FuzzRig {
  let rig: FuzzRig | undefined;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => {
    await rig?.close();
  });
  const need = (): FuzzRig => {
    if (!rig) throw new Error('useRig: used before beforeAll ran');
    return rig;
  };
  return {
    get app() {
      return need().app;
    },
    observe: (request) => need().observe(request),
    keyspace: () => need().keyspace(),
    junk: (writes) => need().junk(writes),
    errorLines: () => need().errorLines(),
    crashes: () => need().crashes(),
    close: () => need().close(),
  };
}

/** The content type of every JSON body. */
export const JSON_TYPE = { 'content-type': 'application/json' } as const;

/** Keys in `after` and not in `before` that may hold personal data, and streams that grew. */
export function keyspaceGrowth(before: Keyspace, after: Keyspace): { keys: string[]; streams: string[] } {
  const had = new Set(before.keys);
  const keys = after.keys.filter((k) => !had.has(k) && !harmless(k));
  const streams = Object.entries(after.streams)
    .filter(([k, n]) => n > (before.streams[k] ?? 0))
    .map(([k, n]) => `${k}: ${before.streams[k] ?? 0} → ${n}`);
  return { keys, streams };
}

/** Runs `work` and asserts that the keyspace holds no new key with personal data and no longer stream after it. */
export async function expectKeyspaceUnchanged(rig: FuzzRig, work: () => Promise<unknown>): Promise<void> {
  const before = await rig.keyspace();
  await work();
  expect(keyspaceGrowth(before, await rig.keyspace())).toEqual({ keys: [], streams: [] });
}

const prototypeNames = Object.getOwnPropertyNames(Object.prototype);

/** No harm done so far: no crash or unhandled rejection, no error logged (a 500 is), no polluted prototype. */
export function expectNoHarm(rig: FuzzRig): void {
  expect(rig.crashes()).toEqual([]);
  expect(rig.errorLines()).toEqual([]);
  expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeNames);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

/** Asserts a refusal: the status, a JSON error with that status's catalogue code, and no stack or echo of the body. */
export function expectRefusal(res: LightMyRequestResponse, status: number, what: string): void {
  expect(res.statusCode, `${what}: status (body ${res.body.slice(0, 300)})`).toBe(status);
  expect(res.headers['content-type'], `${what}: content type`).toMatch(/^application\/json/);
  const body = res.json<{ error?: { code?: unknown; message?: unknown } }>();
  const entry = Object.values(ERRORS).find((e) => e.status === status);
  expect(body.error?.code, `${what}: catalogue code`).toBe(entry?.code ?? ERRORS.BAD_REQUEST.code);
  expect(typeof body.error?.message, `${what}: message`).toBe('string');
  expect(res.body, `${what}: no stack trace`).not.toMatch(/\bat .+:\d+:\d+|node_modules|\/src\//);
}

/** The seed of every property: fixed, so a failure reproduces; FUZZ_SEED tries another. */
export const SEED = Number(process.env.FUZZ_SEED ?? 20_261_201);
/** FUZZ_RUNS multiplies the number of cases (for a longer local hunt); CI runs the numbers as written. */
const RUNS_FACTOR = Number(process.env.FUZZ_RUNS ?? 1);
/** A property's time limit: a minute on a busy two-core machine, more when FUZZ_RUNS asks for more cases. */
export const PROPERTY_TIMEOUT_MS = 60_000 * Math.max(1, RUNS_FACTOR);

/**
 * Runs an async property with the fixed seed. A failure is reported with its first
 * counterexample at once (shrinking requests of a megabyte would take minutes; FUZZ_SHRINK=1
 * shrinks) and with the seed and path that replay it.
 */
export async function fuzz<T>(name: string, arb: fc.Arbitrary<T>, numRuns: number, predicate: (value: T) => Promise<void>, seedOffset = 0): Promise<number> {
  const seed = SEED + seedOffset;
  const runs = Math.max(1, Math.round(numRuns * RUNS_FACTOR));
  let count = 0;
  const details = await fc.check(
    fc.asyncProperty(arb, async (value) => {
      count += 1;
      await predicate(value);
    }),
    { seed, numRuns: runs, endOnFailure: process.env.FUZZ_SHRINK !== '1' },
  );
  if (details.failed) {
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(
      `${name}: failed after ${details.numRuns} cases (seed ${seed}, path "${details.counterexamplePath ?? ''}"; replay with FUZZ_SEED=${SEED})\n` +
        `counterexample: ${fc.stringify(details.counterexample?.[0]).slice(0, 2000)}\n${error}`,
    );
  }
  return count;
}

/** One POST to fuzz: where, with which headers, which bytes, and a label for the report. */
export interface Post {
  label: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A POST that prints briefly in a counterexample (its label, headers and the start of its body). */
export function post(label: string, url: string, body: Buffer | string, headers: Post['headers']): Post {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const printed = (): string => `${label} ${JSON.stringify(headers)} ${preview(bytes)}`;
  return Object.assign({ label, url, headers, body: bytes }, { [fc.toStringMethod]: printed });
}

/** Sends a POST through `app.inject` (no socket: the whole suite stays fast). */
export function send(rig: FuzzRig, p: Post): Promise<LightMyRequestResponse> {
  return rig.app.inject({ method: 'POST', url: p.url, headers: p.headers, payload: p.body });
}
