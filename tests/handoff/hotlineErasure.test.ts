/**
 * Erasure at the hotline desk on a real redis-server, with several senders that can fail half-way
 * or act late, as instances of one deployment do:
 * - an erase that fails on one case (it stays busy) finishes all of them when it is retried;
 * - a case whose link to the person failed (or whose record was never written) is still reached
 *   by the erase: its id is among the person's cases before anything of theirs is stored;
 * - an event written before the erase and acted on after it (another sender claimed it) is
 *   dropped, and one acted on while the erase runs is undone: nothing of the person is left.
 * People talk through the real pipeline and content; the outbox is drained by the test, which
 * hands each event to the desk of the instance it chooses, in the order it chooses.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import type { Input } from '../../src/engine/types.js';
import { hotlineFromConfig } from '../../src/handoff/fromConfig.js';
import { newCaseId } from '../../src/handoff/caseStore.js';
import { createPipeline } from '../../src/conversation/pipeline.js';
import { createReportStore } from '../../src/reports/reportStore.js';
import type { PersonRef } from '../../src/storage/keys.js';
import type { OutboxEntry, Store } from '../../src/storage/store.js';
import { DAY_MS, realEngine } from '../support/content.js';
import { scanRedis, searchable } from '../support/redisScan.js';
import { useRedisStore } from '../support/redisServer.js';

const redis = useRedisStore();
const engine = realEngine();
let clock = Date.parse('2026-03-02T03:00:00Z'); // a Monday, 10:00 in Jakarta
let messageNo = 0;

type PersonEvent = Extract<OutboxEntry, { kind: 'event' }>;
interface LogLine {
  obj: object;
  msg: string | undefined;
}

/** One instance of the service on `store`: its pipeline and its hotline desk, and what its desk logged. */
function instance(store: Store) {
  const lines: LogLine[] = [];
  const log = { info: (obj: object, msg?: string) => lines.push({ obj, msg }), warn: (obj: object, msg?: string) => lines.push({ obj, msg }), error: (obj: object, msg?: string) => lines.push({ obj, msg }) };
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const pipeline = createPipeline({ engine, store, log: quiet, now: () => clock, sessionRetentionMs: DAY_MS, newId: newCaseId });
  const hotline = hotlineFromConfig(parseConfig({ LOG_LEVEL: 'silent', HOTLINE: 'on' }), {
    store,
    pipeline,
    log,
    now: () => clock,
    reports: createReportStore({ store, now: () => clock }),
    unknownPhrases: engine.words.unknown,
  });
  return { pipeline, hotline, lines };
}
type Instance = ReturnType<typeof instance>;

/** The person writes (a second later than the last message: each step has its own time). */
async function say(via: Instance, user: string, ...inputs: Array<string | Input>): Promise<void> {
  for (const input of inputs) {
    clock += 1000;
    messageNo += 1;
    await via.pipeline.handle({ channel: 'web', userId: user, messageId: `${user}-${messageNo}`, input: typeof input === 'string' ? { kind: 'text', text: input } : input });
  }
}

/** Takes everything out of the outbox as a sender would (it is gone from Redis then); answers the person's events, oldest first. */
async function take(user: string): Promise<PersonEvent[]> {
  const items = await redis.store().claimOutbox('test', 1000);
  await redis.store().ackOutbox(items);
  return items.map((i) => i.entry).filter((e): e is PersonEvent => e.kind === 'event' && e.to === user);
}
const only = (events: PersonEvent[], type: string): PersonEvent => {
  const found = events.filter((e) => e.event.type === type);
  if (found.length !== 1) throw new Error(`expected one ${type} event, got ${found.length}`);
  return found[0] as PersonEvent;
};

/** A family report naming a recruiter, kept, and yes to talking with staff: a report_filed, then a handoff_requested with the answers. */
const REPORT = ['halo', '2', 'tidak', 'Pak Wiryo Sastrowardoyo', 'PT Cahaya Laut Sentosa', '0813-7777-2468', 'tidak tahu', 'tidak tahu', 'anak saya', 'Malaysia', 'pabrik', 'paspor ditahan', 'Paspor cucu saya Ratna Kemuning dipegang agen', 'ya', 'WA 0877-4321-9876', 'ya', 'ya'];
/** Words of the person that no other test uses. */
const NEEDLES = ['Wiryo', 'Cahaya Laut', 'Kemuning', '4321-9876', 'Suryaningsih'];

/** Every key whose name or value (sealed values opened) still holds one of `needles`. */
async function keysHolding(needles: readonly string[]): Promise<string[]> {
  const scanned = await scanRedis(redis.server().url, redis.store().sealer);
  return scanned.filter((k) => [k.key, ...k.raw, ...k.opened].some((v) => needles.some((n) => searchable(v).includes(n)))).map((k) => k.key);
}

/** The keys that tie the person to their cases. */
async function caseLinksOf(person: PersonRef): Promise<{ open: string | undefined; all: string[] }> {
  const store = redis.store();
  return { open: await store.get(store.layout.personCase(person)), all: await store.listRead(store.layout.personCases(person)) };
}

/**
 * The store as a slow instance meets it: the first call that `at` picks waits until the test
 * lets it go (a network pause), and may fail instead (a timeout). Everything else is the real store.
 */
function slowStore(store: Store, at: (op: 'get' | 'set' | 'listPush', key: string) => boolean, fail = false) {
  let reached: () => void = () => undefined;
  let go: () => void = () => undefined;
  const atPause = new Promise<void>((resolve) => (reached = resolve));
  const released = new Promise<void>((resolve) => (go = resolve));
  let armed = true;
  const hold = async (op: 'get' | 'set' | 'listPush', key: string): Promise<void> => {
    if (!armed || !at(op, key)) return;
    armed = false;
    if (fail) throw new Error('Redis command timed out');
    reached();
    await released;
  };
  const slow: Store = {
    ...store,
    async get(key) {
      await hold('get', key);
      return store.get(key);
    },
    async set(key, value, ttlMs) {
      await hold('set', key);
      return store.set(key, value, ttlMs);
    },
    async listPush(key, values, ttlMs, max) {
      await hold('listPush', key);
      return store.listPush(key, values, ttlMs, max);
    },
  };
  return { store: slow, atPause, go };
}

const staff = { name: 'Sari', via: 'console' as const };

describe('erasure at the hotline desk', () => {
  it('finishes an erase that failed on a busy case when it is retried: every case of the person is anonymised', { timeout: 30_000 }, async () => {
    const store = redis.store();
    const desk = instance(store);
    const user = 'web-busy-00001';
    const person = { channel: 'web', id: user };

    // A first case: staff talk with the person and close it.
    await say(desk, user, { kind: 'start' }, { kind: 'choice', id: 'person' }, 'ya', 'Nama saya Dwi Suryaningsih');
    for (const e of await take(user)) await desk.hotline.onPersonEvent(e);
    const first = await desk.hotline.cases.caseOf(person);
    if (!first) throw new Error('no first case');
    await desk.hotline.close(first, 'resolved', staff);
    // A second one, still open: an emergency after the first was closed.
    await say(desk, user, 'tolong saya dikurung');
    for (const e of await take(user)) await desk.hotline.onPersonEvent(e);
    const second = await desk.hotline.cases.caseOf(person);
    if (!second || second === first) throw new Error('no second case');
    expect((await desk.hotline.cases.get(second))?.person).toEqual(person);

    await say(desk, user, 'hapus', 'ya');
    const erase = only(await take(user), 'erase_requested');
    // Another instance holds the second case's lock for longer than the desk waits for it.
    await store.set(store.layout.caseLock(second), 'held by a stuck instance', 60_000);
    await expect(desk.hotline.onPersonEvent(erase)).rejects.toThrow(`case ${second} is busy`);
    // The outbox delivers the erase again once the lock is free.
    await store.delete(store.layout.caseLock(second));
    await desk.hotline.onPersonEvent(erase);

    for (const id of [first, second]) {
      const c = await desk.hotline.cases.get(id);
      expect(c).toMatchObject({ status: 'closed', personPresent: false, summary: { answers: {} } });
      expect(c?.person).toBeUndefined();
      expect(JSON.stringify(await desk.hotline.cases.timeline(id))).not.toContain('Suryaningsih');
    }
    expect((await desk.hotline.cases.get(second))?.outcome).toBe('erased');
    // Anonymising the first one twice changed nothing that matters: its audit is still there.
    expect((await desk.hotline.cases.get(first))?.outcome).toBe('resolved');
    expect((await desk.hotline.cases.timeline(first)).filter((e) => e.by.kind === 'staff').map((e) => e.type)).toEqual(['closed']);
    expect(await caseLinksOf(person)).toEqual({ open: undefined, all: [] });
    await take(user);
    expect(await keysHolding([user, 'Suryaningsih'])).toEqual([]);
  });

  it.each([
    ['the link from the person to the case', 'link', (k: Store['layout'], key: string, p: PersonRef) => key === k.personCase(p)],
    ['the case record', 'record', (_k: Store['layout'], key: string) => /^wsp:\{c:[^}]+\}:case$/.test(key)],
  ] as const)('reaches a case whose opening failed at writing %s, when the person erases', async (_what, label, failing) => {
    const store = redis.store();
    const user = `web-fail-${label}-${messageNo}`;
    const person = { channel: 'web', id: user };
    const flaky = slowStore(store, (op, key) => op === 'set' && failing(store.layout, key, person), true);
    const desk = instance(flaky.store);

    await say(desk, user, ...REPORT);
    const handoff = only(await take(user), 'handoff_requested');
    await expect(desk.hotline.onPersonEvent(handoff)).rejects.toThrow(/timed out/);
    // The outbox delivers it again; this time it goes through.
    await desk.hotline.onPersonEvent(handoff);
    const links = await caseLinksOf(person);
    expect(links.open).toBeDefined();
    // The retry finished the case its first try created: staff see one case, not two.
    const opened = (await desk.hotline.cases.list({ limit: 1000 })).filter((c) => c.person?.id === user);
    expect(opened.map((c) => c.id)).toEqual([links.open]);
    if (label === 'link') expect(links.all).toEqual([links.open]);

    await say(desk, user, 'hapus', 'ya');
    await desk.hotline.onPersonEvent(only(await take(user), 'erase_requested'));
    await take(user);
    // No case anywhere keeps their address or their answers.
    expect(await keysHolding([user, ...NEEDLES])).toEqual([]);
    expect(await caseLinksOf(person)).toEqual({ open: undefined, all: [] });
  });

  it('drops the events of a person that another sender acts on after their erase: no case, no report, no message', async () => {
    const store = redis.store();
    const a = instance(store);
    const b = instance(store);
    const user = 'web-late-00001';
    const person = { channel: 'web', id: user };

    // Report, consent to staff, a message, an emergency: all written before the erase.
    await say(a, user, ...REPORT, 'Nama saya Dwi Suryaningsih', 'tolong saya dikurung');
    const before = await take(user);
    expect(before.map((e) => e.event.type)).toEqual(['report_filed', 'handoff_requested', 'relay_message', 'emergency', 'relay_message']);
    await say(a, user, 'hapus', 'ya');
    const erase = only(await take(user), 'erase_requested');

    // Sender B gets the erase first: there is nothing yet to erase.
    await b.hotline.onPersonEvent(erase);
    // Sender A then gets what it claimed before: it must not act on any of it.
    for (const e of before) await a.hotline.onPersonEvent(e);

    expect(await caseLinksOf(person)).toEqual({ open: undefined, all: [] });
    expect(await store.listRead(store.layout.personReports(person))).toEqual([]);
    await take(user);
    expect(await keysHolding([user, ...NEEDLES])).toEqual([]);
    // Each drop is logged, with nothing of the person in the line.
    const drops = a.lines.filter((l) => /erase/.test(l.msg ?? '') && /dropped/.test(l.msg ?? ''));
    expect(drops).toHaveLength(before.length);
    expect(JSON.stringify(drops)).not.toContain(user);
  });

  it('acts on the events of a person who never erased, those without a time too', async () => {
    const desk = instance(redis.store());
    const user = 'web-never-00001';
    const emergency = { kind: 'event' as const, channel: 'web', to: user, seq: '3.0', event: { type: 'emergency', summary: { lang: 'id', signs: [], answers: {} } } };
    await desk.hotline.onPersonEvent(emergency);
    const id = await desk.hotline.cases.caseOf({ channel: 'web', id: user });
    expect(id && (await desk.hotline.cases.get(id))).toMatchObject({ status: 'open', priority: 'urgent' });
    expect(desk.lines.filter((l) => /dropped|again/.test(l.msg ?? ''))).toEqual([]);
  });

  it.each([
    ['before it looks for an open case', 'get', (k: Store['layout'], key: string, p: PersonRef) => key === k.personCase(p)],
    ['after it created the case, before it links it', 'set', (k: Store['layout'], key: string, p: PersonRef) => key === k.personCase(p)],
    ['after it stored the report, before it lists it', 'listPush', (k: Store['layout'], key: string, p: PersonRef) => key === k.personReports(p)],
  ] as const)('undoes what a sender did for an event while the erase ran (paused %s)', async (_when, op, where) => {
    const store = redis.store();
    const user = `web-race-${op}-${messageNo}`;
    const person = { channel: 'web', id: user };
    const slow = slowStore(store, (o, key) => o === op && where(store.layout, key, person));
    const a = instance(slow.store);
    const b = instance(store);

    await say(b, user, ...REPORT);
    const events = await take(user);
    const event = only(events, op === 'listPush' ? 'report_filed' : 'handoff_requested');
    // Sender A starts on the event and is held up on the way.
    const acting = a.hotline.onPersonEvent(event);
    await slow.atPause;
    // Meanwhile the person erases, and sender B runs the whole erase.
    await say(b, user, 'hapus', 'ya');
    await b.hotline.onPersonEvent(only(await take(user), 'erase_requested'));
    slow.go();
    await acting;

    expect(await caseLinksOf(person)).toEqual({ open: undefined, all: [] });
    expect(await store.listRead(store.layout.personReports(person))).toEqual([]);
    await take(user);
    expect(await keysHolding([user, ...NEEDLES])).toEqual([]);
    const undone = a.lines.filter((l) => /erase/.test(l.msg ?? '') && /again/.test(l.msg ?? ''));
    expect(undone).toHaveLength(1);
    expect(JSON.stringify(a.lines)).not.toContain(user);
  });
});
