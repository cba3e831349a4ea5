/**
 * What a copy of the Redis data gives away: no phone number or account id in any key, personal
 * content only sealed with DATA_KEY, and a pseudonym secret that only DATA_KEY opens. Then a key
 * rotation (`npm run keys:rotate`) while data is in place.
 */
import { spawn } from 'node:child_process';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PSEUDONYM_SECRET_KEY } from '../../src/storage/keyring.js';
import { createRedisStore, type RedisStore } from '../../src/storage/redis.js';
import { dataKey, ephemeralDataKey } from '../../src/storage/sealer.js';
import { startRedis, type RedisServer } from '../support/redisServer.js';
import { testDataKeys } from '../support/dataKey.js';

let redis: RedisServer;
let admin: ReturnType<typeof createClient>;
const opened: RedisStore[] = [];
beforeAll(async () => {
  redis = await startRedis();
  admin = createClient({ url: redis.url });
  await admin.connect();
}, 30_000);
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await admin.close();
  await redis.stop();
});

async function storeWith(dataKeys: Parameters<typeof createRedisStore>[0]['dataKeys'], onKeyringError?: (err: Error) => void): Promise<RedisStore> {
  const store = createRedisStore({ url: redis.url, dataKeys, ...(onKeyringError ? { onKeyringError } : {}) });
  opened.push(store);
  await store.ready();
  return store;
}

/** Every key and every value (strings, list items, stream fields, sorted-set members) in the server. */
async function dump(): Promise<{ keys: string[]; values: string[] }> {
  const keys = await admin.keys('*');
  const values: string[] = [];
  for (const key of keys) {
    const type = await admin.type(key);
    if (type === 'string') values.push(String(await admin.get(key)));
    else if (type === 'list') values.push(...(await admin.lRange(key, 0, -1)));
    else if (type === 'zset') values.push(...(await admin.zRange(key, 0, -1)));
    else if (type === 'stream') {
      const entries = (await admin.xRange(key, '-', '+')) ?? [];
      for (const e of entries) values.push(...Object.values(e?.message ?? {}).map(String));
    }
  }
  return { keys, values };
}

const PHONE = '6281234567890';
const TELEGRAM_ID = '987654321';
const WORDS = 'paspor saya ditahan majikan di Kuching';

describe('Redis at rest', () => {
  it('holds no identity in keys and no personal content in the clear', async () => {
    await admin.flushAll();
    const store = await storeWith(testDataKeys);
    for (const person of [{ channel: 'whatsapp', id: PHONE }, { channel: 'telegram', id: TELEGRAM_ID }]) {
      const outcome = await store.commitConversation({
        person,
        inboundId: 'm1',
        expectedVersion: 0,
        session: store.sealer.seal(JSON.stringify({ answers: { story: WORDS } })),
        sessionTtlMs: 60_000,
        outbox: [{ kind: 'message', channel: person.channel, to: person.id, message: { text: `Kami dengar: ${WORDS}` } }],
      });
      expect(outcome).toBe('ok');
      await store.listPush(store.layout.personCases(person), ['K7M4QX'], 60_000, 10);
    }
    // A report naming a recruiter's number is indexed under the recruiter's pseudonym.
    await store.indexAdd(store.layout.recruiterReports(store.layout.recruiter('phone:+6281999888777')), 'R123456', 1);

    const { keys, values } = await dump();
    const all = [...keys, ...values].join('\n');
    for (const secret of [PHONE, TELEGRAM_ID, '6281999888777', 'Kuching', 'ditahan']) expect(all).not.toContain(secret);
    // And the data is all there for the store that has the key.
    const loaded = await store.loadConversation({ channel: 'whatsapp', id: PHONE });
    expect(JSON.parse(store.sealer.open(loaded.session ?? '')).answers.story).toBe(WORDS);
    expect((await store.claimOutbox('t', 10)).map((i) => i.entry.to).sort()).toEqual([PHONE, TELEGRAM_ID].sort());
  });

  it('shares one pseudonym secret between instances, and refuses to serve with a wrong DATA_KEY', async () => {
    await admin.flushAll();
    const first = await storeWith(testDataKeys);
    const second = await storeWith(testDataKeys);
    const person = { channel: 'whatsapp', id: PHONE };
    expect(second.layout.session(person)).toBe(first.layout.session(person));
    const stored = await admin.get(PSEUDONYM_SECRET_KEY);
    expect(stored).toMatch(/^wsp1\./);
    expect(await admin.ttl(PSEUDONYM_SECRET_KEY)).toBe(-1);

    const errors: Error[] = [];
    const wrong = await storeWith({ current: ephemeralDataKey() }, (err) => errors.push(err));
    await expect(wrong.ping()).rejects.toThrow(/pseudonym secret/);
    expect(errors[0]?.message).toMatch(/DATA_KEY does not open the data already in Redis/);
    expect(() => wrong.layout.session(person)).toThrow(/not loaded/);
    // The secret was not replaced by the wrong instance.
    expect(await admin.get(PSEUDONYM_SECRET_KEY)).toBe(stored);
  });

  it('refuses to make a new pseudonym secret when data exists but the secret was lost', async () => {
    await admin.flushAll();
    const first = await storeWith(testDataKeys);
    await first.set(first.layout.session({ channel: 'web', id: 'someone' }), '1:x', 60_000);
    await admin.del(PSEUDONYM_SECRET_KEY);
    const errors: Error[] = [];
    const next = await storeWith(testDataKeys, (err) => errors.push(err));
    await expect(next.ping()).rejects.toThrow(/pseudonym secret/);
    expect(errors[0]?.message).toMatch(/holds Waspada data but not its pseudonym secret.*noeviction/);
    expect(await admin.exists(PSEUDONYM_SECRET_KEY)).toBe(0);
  });
});

describe('a sender with the wrong or an older key', () => {
  it('takes nobody\'s entries when its DATA_KEY does not open the keyring', async () => {
    await admin.flushAll();
    const good = await storeWith(testDataKeys);
    await good.appendOutbox(0, [{ kind: 'message', channel: 'web', to: 'someone', message: { text: 'hello' } }]);
    const wrong = await storeWith({ current: ephemeralDataKey() }, () => undefined);
    await expect(wrong.claimOutbox('wrong', 10)).rejects.toThrow(/not loaded/);
    expect(await good.outboxDepth()).toBe(1);
    expect(await good.deadLetterDepth()).toBe(0);
  });

  it('leaves an entry sealed with a key it does not know yet for an instance that has it', async () => {
    await admin.flushAll();
    const OLD = testDataKeys.current;
    const NEW = dataKey(Buffer.alloc(32, 11));
    const before = await storeWith({ current: OLD });
    // Half-way through a rotation: this instance restarted with the new key and wrote an entry…
    const updated = await storeWith({ current: NEW, previous: OLD });
    await updated.appendOutbox(0, [{ kind: 'message', channel: 'web', to: 'someone', message: { text: 'hello' } }]);
    // …which the instance still on the old key cannot open: it leaves it rather than throwing it away.
    expect(await before.claimOutbox('old', 10)).toEqual([]);
    expect(await before.deadLetterDepth()).toBe(0);
    const reclaimed = await updated.reclaimOutbox('new', 0, 10);
    expect(reclaimed.map((i) => i.entry.kind === 'message' && i.entry.message.text)).toEqual(['hello']);
  });
});

describe('key rotation', () => {
  const OLD = testDataKeys.current;
  const NEW = dataKey(Buffer.alloc(32, 9));

  async function fill(store: RedisStore): Promise<void> {
    for (let i = 0; i < 30; i++) {
      const person = { channel: 'web', id: `person-${i}` };
      await store.commitConversation({ person, expectedVersion: 0, session: store.sealer.seal(`{"n":${i}}`), sessionTtlMs: 600_000, outbox: [] });
      await store.listPush(`wsp:{c:CASE${i}}:timeline`, [store.sealer.seal(`{"text":"entry ${i}"}`), store.sealer.seal(`{"text":"entry ${i}b"}`)], 600_000, 100);
    }
    await store.appendOutbox(0, [{ kind: 'message', channel: 'web', to: 'person-0', message: { text: 'queued' } }]);
  }

  it('moves every stored value to the new key, keeps expiries and pseudonyms, and a second run has nothing to do', async () => {
    await admin.flushAll();
    const before = await storeWith({ current: OLD });
    await fill(before);
    const sessionKey = before.layout.session({ channel: 'web', id: 'person-3' });
    const ttlBefore = await admin.pTTL(sessionKey);

    const rotating = await storeWith({ current: NEW, previous: OLD });
    const report = await rotating.reseal({ batch: 7 });
    // 30 sessions, 60 timeline items and the keyring; the queued entry drains by itself.
    expect(report).toMatchObject({ resealed: 91, changedMeanwhile: 0, unreadable: 0, streamEntriesLeft: 1 });
    expect(await admin.pTTL(sessionKey)).toBeGreaterThan(ttlBefore - 5_000);
    expect(await rotating.reseal()).toMatchObject({ resealed: 0, streamEntriesLeft: 1 });
    // Once the outbox drained, nothing needs the old key any more.
    await rotating.ackOutbox(await rotating.claimOutbox('t', 10));
    expect(await rotating.reseal()).toMatchObject({ resealed: 0, streamEntriesLeft: 0, unreadable: 0 });

    const after = await storeWith({ current: NEW });
    expect(after.layout.session({ channel: 'web', id: 'person-3' })).toBe(sessionKey);
    const loaded = await after.loadConversation({ channel: 'web', id: 'person-3' });
    expect(after.sealer.open(loaded.session ?? '')).toBe('{"n":3}');
    const { values } = await dump();
    expect(values.filter((v) => v.includes(`wsp1.${OLD.id}.`))).toEqual([]);
  });

  it('runs as npm run keys:rotate and says when the old key can go', { timeout: 60_000 }, async () => {
    await admin.flushAll();
    await fill(await storeWith({ current: OLD }));
    const run = (): Promise<{ code: number | null; out: string }> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/keysRotate.ts'], {
          env: { ...process.env, REDIS_URL: redis.url, REDIS_CLUSTER_NODES: undefined, DATA_KEY: NEW.key.toString('base64'), DATA_KEY_PREVIOUS: OLD.key.toString('base64') },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, out }));
      });
    const first = await run();
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/91 values sealed again/);
    expect(first.out).toMatch(/1 queued entries and 0 dead letters still under the old key/);
    expect(first.out).toMatch(/keep DATA_KEY_PREVIOUS/);
  });
});
