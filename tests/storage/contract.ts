/**
 * The storage contract: every store implementation runs these same tests. `make` returns a
 * fresh, empty store and a way to let time pass for it (a moved clock, or a real wait).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PersonRef } from '../../src/storage/keys.js';
import type { OutboxEntry, OutboxItem, Store } from '../../src/storage/store.js';

export interface StoreUnderTest {
  store: Store;
  /** Lets `ms` milliseconds pass for the store. */
  elapse(ms: number): Promise<void>;
  close(): Promise<void>;
}

const alice: PersonRef = { channel: 'web', id: 'alice-0001' };
const bob: PersonRef = { channel: 'whatsapp', id: '6281200000002' };
const event = (type: string): OutboxEntry => ({ kind: 'event', channel: 'web', to: alice.id, event: { type } });
const message = (text: string): OutboxEntry => ({ kind: 'message', channel: 'whatsapp', to: bob.id, message: { text } });

/** Registers the contract tests for one implementation. */
export function storeContract(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`${name} store contract`, () => {
    let current: StoreUnderTest | undefined;
    const open = async () => (current = await make());
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });

    describe('key-value seam', () => {
      it('reads what it wrote, and nothing for a missing key', async () => {
        const { store } = await open();
        await store.set('k1', 'v1', 60_000);
        expect(await store.get('k1')).toBe('v1');
        expect(await store.get('missing')).toBeUndefined();
      });

      it('overwrites a value', async () => {
        const { store } = await open();
        await store.set('k', 'a', 60_000);
        await store.set('k', 'b', 60_000);
        expect(await store.get('k')).toBe('b');
      });

      it('forgets a value after its time to live', async () => {
        const { store, elapse } = await open();
        await store.set('short', 'v', 50);
        await store.set('long', 'v', 60_000);
        await elapse(120);
        expect(await store.get('short')).toBeUndefined();
        expect(await store.get('long')).toBe('v');
      });

      it('deletes several keys and ignores missing ones', async () => {
        const { store } = await open();
        await store.set('a', '1', 60_000);
        await store.set('b', '2', 60_000);
        await store.delete('a', 'b', 'never-there');
        expect(await store.get('a')).toBeUndefined();
        expect(await store.get('b')).toBeUndefined();
      });

      it('writes if absent only once, and again after expiry', async () => {
        const { store, elapse } = await open();
        expect(await store.setIfAbsent('id', '1', 50)).toBe(true);
        expect(await store.setIfAbsent('id', '2', 50)).toBe(false);
        expect(await store.get('id')).toBe('1');
        await elapse(120);
        expect(await store.setIfAbsent('id', '3', 50)).toBe(true);
      });

      it('lets exactly one of many concurrent writers win', async () => {
        const { store } = await open();
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent('race', String(i), 60_000)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('gives a lock back only to its owner: delete-if-equals leaves a value someone else wrote since', async () => {
        const { store } = await open();
        await store.set('lock', 'mine', 60_000);
        expect(await store.deleteIfEquals('lock', 'theirs')).toBe(false);
        expect(await store.get('lock')).toBe('mine');
        expect(await store.deleteIfEquals('lock', 'mine')).toBe(true);
        expect(await store.get('lock')).toBeUndefined();
        expect(await store.deleteIfEquals('lock', 'mine')).toBe(false);
      });

      it('keeps unicode text intact', async () => {
        const { store } = await open();
        const text = 'Paspor ditahan 🛂 — “agen” ñ 中文 \u0000 end';
        await store.set('u', text, 60_000);
        expect(await store.get('u')).toBe(text);
      });

      it('appends to a list, keeps its last items, and forgets it after its time to live', async () => {
        const { store, elapse } = await open();
        expect(await store.listRead('l')).toEqual([]);
        await store.listPush('l', ['1', '2'], 60_000, 3);
        await store.listPush('l', ['3', '4'], 60_000, 3);
        expect(await store.listRead('l')).toEqual(['2', '3', '4']);
        await store.listPush('short', ['x'], 50, 10);
        await elapse(120);
        expect(await store.listRead('short')).toEqual([]);
      });

      it('reserves pace slots one interval apart, for every caller', async () => {
        const { store } = await open();
        const at = 1_800_000_000_000;
        expect(await store.takeSlot('pace', 1000, at)).toBe(0);
        expect(await store.takeSlot('pace', 1000, at)).toBe(1000);
        expect(await store.takeSlot('pace', 1000, at + 10)).toBe(1990);
        expect(await store.takeSlot('pace', 1000, at + 5000)).toBe(0);
      });

      it('lets a burst of slots go at once, then paces', async () => {
        const { store } = await open();
        const at = 1_800_000_000_000;
        const waits = [];
        for (let i = 0; i < 5; i++) waits.push(await store.takeSlot('burst', 1000, at, 3));
        expect(waits).toEqual([0, 0, 0, 1000, 2000]);
      });

      it('takes a free slot of a pace, and refuses without moving it when none is free', async () => {
        const { store } = await open();
        const at = 1_800_000_000_000;
        // 3 at once, then one every 1000 ms; fractions of a millisecond are kept.
        expect(await store.tryTakeSlot('try', 1000, at, 3)).toEqual({ waitMs: 0, nextMs: at + 1000 });
        expect(await store.tryTakeSlot('try', 1000, at, 3)).toEqual({ waitMs: 0, nextMs: at + 2000 });
        expect(await store.tryTakeSlot('try', 1000, at + 0.5, 3)).toEqual({ waitMs: 0, nextMs: at + 3000 });
        // Full: however many ask, the answer and the pace stay the same.
        const refused = await Promise.all(Array.from({ length: 20 }, () => store.tryTakeSlot('try', 1000, at + 10, 3)));
        expect(new Set(refused.map((r) => JSON.stringify(r)))).toEqual(new Set([JSON.stringify({ waitMs: 990, nextMs: at + 3000 })]));
        // One interval after the burst, exactly one slot is free again.
        expect(await store.tryTakeSlot('try', 1000, at + 1000, 3)).toEqual({ waitMs: 0, nextMs: at + 4000 });
        expect((await store.tryTakeSlot('try', 1000, at + 1000, 3)).waitMs).toBe(1000);
        // The paced sends' slots and these are the same pace.
        expect(await store.takeSlot('try', 1000, at + 1000, 3)).toBe(1000);
      });

      it('answers ping when it is ready', async () => {
        const { store } = await open();
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('sorted index', () => {
      it('adds, moves and removes members, ordered by score either way and cut at the limit', async () => {
        const { store } = await open();
        await store.indexAdd('cases:open', 'case-a', 300);
        await store.indexAdd('cases:open', 'case-b', 100);
        await store.indexAdd('cases:open', 'case-c', 200);
        expect(await store.indexRange('cases:open', 10)).toEqual([
          { member: 'case-a', score: 300 },
          { member: 'case-c', score: 200 },
          { member: 'case-b', score: 100 },
        ]);
        expect(await store.indexRange('cases:open', 2, 'asc')).toEqual([
          { member: 'case-b', score: 100 },
          { member: 'case-c', score: 200 },
        ]);
        // Adding again moves the member instead of adding it twice.
        await store.indexAdd('cases:open', 'case-b', 400);
        expect(await store.indexRange('cases:open', 2, 'desc')).toEqual([
          { member: 'case-b', score: 400 },
          { member: 'case-a', score: 300 },
        ]);
        await store.indexRemove('cases:open', 'case-a');
        await store.indexRemove('cases:open', 'never-there');
        expect(await store.indexRange('cases:open', 10, 'asc')).toEqual([
          { member: 'case-c', score: 200 },
          { member: 'case-b', score: 400 },
        ]);
        expect(await store.indexRange('cases:open', 0)).toEqual([]);
      });

      it('keeps millisecond times and fractions exact, and orders equal scores by member', async () => {
        const { store } = await open();
        const at = 1_800_000_000_123;
        await store.indexAdd('i', 'b', at);
        await store.indexAdd('i', 'a', at);
        await store.indexAdd('i', 'half', 0.5);
        await store.indexAdd('i', 'below', -2.25);
        expect(await store.indexRange('i', 10, 'asc')).toEqual([
          { member: 'below', score: -2.25 },
          { member: 'half', score: 0.5 },
          { member: 'a', score: at },
          { member: 'b', score: at },
        ]);
        expect((await store.indexRange('i', 2)).map((e) => e.member)).toEqual(['b', 'a']);
      });

      it('answers nothing for a missing index, one whose last member was removed, or a deleted one', async () => {
        const { store } = await open();
        expect(await store.indexRange('missing', 10)).toEqual([]);
        await store.indexRemove('missing', 'x');
        await store.indexAdd('one', 'only', 1);
        await store.indexRemove('one', 'only');
        expect(await store.indexRange('one', 10, 'asc')).toEqual([]);
        // delete() removes an index like any other key.
        await store.indexAdd('gone', 'm', 1);
        await store.delete('gone');
        expect(await store.indexRange('gone', 10)).toEqual([]);
      });

      it('never expires its members unless given a time to live', async () => {
        const { store, elapse } = await open();
        await store.indexAdd('kept', 'm', 1);
        await elapse(120);
        expect(await store.indexRange('kept', 10)).toEqual([{ member: 'm', score: 1 }]);
      });

      it('expires the whole index a time to live after the write that gave it, and keeps that expiry over a write without one', async () => {
        const { store, elapse } = await open();
        await store.indexAdd('short', 'a', 1, 60_000);
        // A later write with a time to live sets it again; one without leaves it.
        await store.indexAdd('short', 'a', 1, 50);
        await store.indexAdd('short', 'b', 2);
        await store.indexAdd('long', 'a', 1, 60_000);
        await elapse(120);
        expect(await store.indexRange('short', 10)).toEqual([]);
        expect(await store.indexRange('long', 10)).toEqual([{ member: 'a', score: 1 }]);
        // Gone with its expiry: written again without one, it stays.
        await store.indexAdd('short', 'c', 3);
        await elapse(120);
        expect(await store.indexRange('short', 10)).toEqual([{ member: 'c', score: 3 }]);
      });

      it('refuses a score that is not a finite number', async () => {
        const { store } = await open();
        await expect(store.indexAdd('i', 'm', Number.NaN)).rejects.toThrow(RangeError);
        await expect(store.indexAdd('i', 'm', Number.POSITIVE_INFINITY)).rejects.toThrow(RangeError);
        expect(await store.indexRange('i', 10)).toEqual([]);
      });
    });

    describe('counters', () => {
      it('adds to counters, reads them per key in order, and answers an empty record for a missing key', async () => {
        const { store } = await open();
        expect(await store.countersAdd('{d1}:c', { 'level:high': 1, 'sign:visa_not_work': 1 }, 60_000)).toBe(true);
        expect(await store.countersAdd('{d1}:c', { 'level:high': 1, 'level:low': 2 }, 60_000)).toBe(true);
        expect(await store.countersAdd('{d2}:c', { 'level:low': 1 }, 60_000)).toBe(true);
        expect(await store.countersRead(['{d2}:c', 'missing', '{d1}:c'])).toEqual([
          { 'level:low': 1 },
          {},
          { 'level:high': 2, 'level:low': 2, 'sign:visa_not_work': 1 },
        ]);
        expect(await store.countersRead([])).toEqual([]);
      });

      it('counts once per marker, atomically, also when many add at once', async () => {
        const { store } = await open();
        const adds = await Promise.all(Array.from({ length: 10 }, () => store.countersAdd('{d}:c', { n: 1 }, 60_000, { key: '{d}:seen:e1', ttlMs: 60_000 })));
        expect(adds.filter(Boolean)).toHaveLength(1);
        expect(await store.countersAdd('{d}:c', { n: 1 }, 60_000, { key: '{d}:seen:e2', ttlMs: 60_000 })).toBe(true);
        expect(await store.countersRead(['{d}:c'])).toEqual([{ n: 2 }]);
      });

      it('forgets counters after their time to live, renewed by each add, and a marker after its own', async () => {
        const { store, elapse } = await open();
        // Margins of 150 ms either side: a loaded machine still tells them apart.
        await store.countersAdd('{d}:c', { n: 1 }, 400, { key: '{d}:seen:e1', ttlMs: 100 });
        await elapse(250);
        await store.countersAdd('{d}:c', { n: 1 }, 400);
        await elapse(250);
        expect(await store.countersRead(['{d}:c'])).toEqual([{ n: 2 }]);
        expect(await store.countersAdd('{d}:c', { n: 1 }, 400, { key: '{d}:seen:e1', ttlMs: 100 })).toBe(true);
        await elapse(550);
        expect(await store.countersRead(['{d}:c'])).toEqual([{}]);
      });
    });

    describe('conversations', () => {
      const commit = (store: Store, over: Partial<Parameters<Store['commitConversation']>[0]> = {}) =>
        store.commitConversation({ person: alice, expectedVersion: 0, session: '{"n":1}', sessionTtlMs: 60_000, outbox: [], ...over });

      it('starts with no session at version 0', async () => {
        const { store } = await open();
        expect(await store.loadConversation(alice, 'm1')).toEqual({ session: undefined, version: 0, seen: false });
      });

      it('saves a session, counts versions and refuses a stale write', async () => {
        const { store } = await open();
        expect(await commit(store, { inboundId: 'm1' })).toBe('ok');
        expect(await store.loadConversation(alice)).toEqual({ session: '{"n":1}', version: 1, seen: false });
        expect(await commit(store, { expectedVersion: 0, session: '{"n":"stale"}' })).toBe('conflict');
        expect(await commit(store, { expectedVersion: 1, session: '{"n":2}' })).toBe('ok');
        expect(await store.loadConversation(alice)).toMatchObject({ session: '{"n":2}', version: 2 });
      });

      it('recognises an inbound id it has handled, on load and on commit', async () => {
        const { store } = await open();
        await commit(store, { inboundId: 'wamid.1' });
        expect((await store.loadConversation(alice, 'wamid.1')).seen).toBe(true);
        expect((await store.loadConversation(alice, 'wamid.2')).seen).toBe(false);
        expect(await commit(store, { inboundId: 'wamid.1', expectedVersion: 1 })).toBe('duplicate');
      });

      it('keeps a value recorded with an inbound id, for its own lifetime', async () => {
        const { store, elapse } = await open();
        await commit(store, { inboundId: 'web-1', inboundRecord: { value: '[{"text":"hi"}]', ttlMs: 50 } });
        expect(await store.loadConversation(alice, 'web-1')).toMatchObject({ seen: true, recorded: '[{"text":"hi"}]' });
        await elapse(120);
        expect((await store.loadConversation(alice, 'web-1')).seen).toBe(false);
      });

      it('lets one of two concurrent steps from the same version win', async () => {
        const { store } = await open();
        const outcomes = await Promise.all([commit(store, { session: '{"a":1}' }), commit(store, { session: '{"b":1}' })]);
        expect(outcomes.sort()).toEqual(['conflict', 'ok']);
      });

      it('keeps people apart', async () => {
        const { store } = await open();
        await commit(store);
        expect(await store.loadConversation(bob)).toMatchObject({ session: undefined, version: 0 });
      });

      it('erases the session and still records the inbound id', async () => {
        const { store } = await open();
        await commit(store);
        expect(await commit(store, { expectedVersion: 1, session: null, inboundId: 'erase-1' })).toBe('ok');
        expect(await store.loadConversation(alice, 'erase-1')).toEqual({ session: undefined, version: 2, seen: true });
        // A step computed before the erase cannot write the old answers back.
        expect(await commit(store, { expectedVersion: 1, session: '{"old":true}' })).toBe('conflict');
        expect(await commit(store, { expectedVersion: 0, session: '{"old":true}' })).toBe('conflict');
      });

      it('turns the replies kept with the person\'s inbound ids back into bare markers on an erase, keeping the ids handled', async () => {
        const { store } = await open();
        await commit(store, { inboundId: 'web-1', inboundRecord: { value: '[{"text":"your ad says: Kuching"}]', ttlMs: 60_000 } });
        await commit(store, { expectedVersion: 1, inboundId: 'web-2', inboundRecord: { value: '[{"text":"erase?"}]', ttlMs: 60_000 } });
        // Someone else's kept reply is theirs: an erase of alice leaves it.
        await store.commitConversation({ person: bob, expectedVersion: 0, session: '{}', sessionTtlMs: 60_000, outbox: [], inboundId: 'web-b', inboundRecord: { value: '[{"text":"bob"}]', ttlMs: 60_000 } });
        expect(await commit(store, { expectedVersion: 2, session: null, inboundId: 'web-3', inboundRecord: { value: '[{"text":"erased"}]', ttlMs: 60_000 } })).toBe('ok');
        expect(await store.loadConversation(alice, 'web-1')).toEqual({ session: undefined, version: 3, seen: true });
        expect(await store.loadConversation(alice, 'web-2')).toEqual({ session: undefined, version: 3, seen: true });
        // The erase's own reply (it quotes nobody) is kept for a retry, and bob's is untouched.
        expect(await store.loadConversation(alice, 'web-3')).toMatchObject({ seen: true, recorded: '[{"text":"erased"}]' });
        expect(await store.loadConversation(bob, 'web-b')).toMatchObject({ seen: true, recorded: '[{"text":"bob"}]' });
      });

      it('reaches every reply kept in the hour before an erase, however many', async () => {
        const { store } = await open();
        const replies = 150;
        for (let i = 0; i < replies; i++) await commit(store, { expectedVersion: i, inboundId: `web-many-${i}`, inboundRecord: { value: `[{"text":"reply ${i}"}]`, ttlMs: 60_000 } });
        expect(await commit(store, { expectedVersion: replies, session: null, inboundId: 'web-many-erase' })).toBe('ok');
        const left = await Promise.all(Array.from({ length: replies }, (_, i) => store.loadConversation(alice, `web-many-${i}`)));
        expect(left.filter((l) => l.recorded !== undefined)).toEqual([]);
        expect(left.every((l) => l.seen)).toBe(true);
      });

      it('expires an idle session', async () => {
        const { store, elapse } = await open();
        await commit(store, { sessionTtlMs: 50 });
        await elapse(120);
        expect((await store.loadConversation(alice)).session).toBeUndefined();
      });

      it('writes nothing at all when a commit is refused', async () => {
        const { store } = await open();
        await commit(store);
        expect(await commit(store, { expectedVersion: 7, inboundId: 'x', outbox: [event('lost')] })).toBe('conflict');
        expect((await store.loadConversation(alice, 'x')).seen).toBe(false);
        expect(await store.outboxDepth()).toBe(0);
      });
    });

    describe('outbox', () => {
      it('hands out each entry once, oldest first per person, and forgets it after the ack', async () => {
        const { store } = await open();
        await store.commitConversation({ person: bob, expectedVersion: 0, session: '{}', sessionTtlMs: 60_000, outbox: [message('one'), message('two')] });
        await store.commitConversation({ person: alice, expectedVersion: 0, session: '{}', sessionTtlMs: 60_000, outbox: [event('assessment_completed')] });
        expect(await store.outboxDepth()).toBe(3);
        // A claim takes at most max/shards from each shard: enough for all three wherever the pseudonyms put them.
        const first = await store.claimOutbox('sender-a', 100);
        expect(first).toHaveLength(3);
        const bobTexts = first.filter((i) => i.entry.kind === 'message').map((i) => (i.entry.kind === 'message' ? i.entry.message.text : ''));
        expect(bobTexts).toEqual(['one', 'two']);
        expect(await store.claimOutbox('sender-b', 10)).toEqual([]);
        await store.ackOutbox(first);
        expect(await store.outboxDepth()).toBe(0);
      });

      it('lets another sender reclaim what a crashed sender never acknowledged', async () => {
        const { store, elapse } = await open();
        await store.commitConversation({ person: bob, expectedVersion: 0, session: '{}', sessionTtlMs: 60_000, outbox: [message('stuck')] });
        const claimed = await store.claimOutbox('crashed-sender', 10);
        expect(claimed).toHaveLength(1);
        expect(await store.reclaimOutbox('rescuer', 100, 10)).toEqual([]);
        await elapse(150);
        const reclaimed = await store.reclaimOutbox('rescuer', 100, 10);
        expect(reclaimed.map((i) => i.entry)).toEqual([message('stuck')]);
        await store.ackOutbox(reclaimed);
        expect(await store.outboxDepth()).toBe(0);
      });

      it('lets a stopping sender give back what it claimed: any sender reclaims it at once, counted as one takeover', async () => {
        const { store } = await open();
        await store.commitConversation({ person: bob, expectedVersion: 0, session: '{}', sessionTtlMs: 60_000, outbox: [message('one'), message('two'), message('three')] });
        const claimed = await store.claimOutbox('stopping-sender', 100);
        expect(claimed.map((i) => i.deliveries)).toEqual([1, 1, 1]);
        // 'one' went out before the stop; the rest are given back (the acknowledged one is left alone).
        await store.ackOutbox(claimed.slice(0, 1));
        await store.releaseOutbox('stopping-sender', claimed);
        // The usual reclaim, which waits for OUTBOX_RECLAIM_SECONDS (30) of idleness, takes them now.
        const reclaimed = await store.reclaimOutbox('next-sender', 30_000, 100);
        expect(reclaimed.map((i) => [i.entry, i.deliveries])).toEqual([[message('two'), 2], [message('three'), 2]]);
        // Taken over, they are the next sender's: a late release by the stopped one changes nothing.
        await store.releaseOutbox('stopping-sender', claimed);
        expect(await store.reclaimOutbox('third-sender', 30_000, 100)).toEqual([]);
        await store.ackOutbox(reclaimed);
        expect(await store.outboxDepth()).toBe(0);
      });

      it('gives back an entry as claimed a given time ago, never as claimed more recently than it was', async () => {
        const { store, elapse } = await open();
        await store.commitConversation({ person: bob, expectedVersion: 0, session: '{}', sessionTtlMs: 60_000, outbox: [message('late')] });
        await store.commitConversation({ person: alice, expectedVersion: 0, session: '{}', sessionTtlMs: 60_000, outbox: [message('old')] });
        const claimed = await store.claimOutbox('stopping-sender', 100);
        expect(claimed).toHaveLength(2);
        const late = claimed.filter((i) => i.entry.kind === 'message' && i.entry.message.text === 'late');
        const old = claimed.filter((i) => i.entry.kind === 'message' && i.entry.message.text === 'old');
        await elapse(400);
        // 'late' looks claimed 1.2 s ago: a sender reclaiming after a second takes it, one after five does not.
        await store.releaseOutbox('stopping-sender', late, 1_200);
        // 'old' was claimed 400 ms ago: given back as claimed 0 ms ago, it keeps its 400 ms.
        await store.releaseOutbox('stopping-sender', old, 0);
        expect(await store.reclaimOutbox('next-sender', 5_000, 100)).toEqual([]);
        expect((await store.reclaimOutbox('next-sender', 1_000, 100)).map((i) => [i.entry, i.deliveries])).toEqual([[message('late'), 2]]);
        expect((await store.reclaimOutbox('next-sender', 300, 100)).map((i) => i.entry)).toEqual([message('old')]);
      });

      it('claims at most the batch size, and the rest on later claims', async () => {
        const { store } = await open();
        await store.commitConversation({ person: bob, expectedVersion: 0, session: '{}', sessionTtlMs: 60_000, outbox: Array.from({ length: 5 }, (_, i) => message(`m${i}`)) });
        const seen: string[] = [];
        for (let i = 0; i < 10 && seen.length < 5; i++) {
          const items = await store.claimOutbox('s', 2);
          expect(items.length).toBeLessThanOrEqual(2);
          seen.push(...items.map((item) => (item.entry.kind === 'message' ? item.entry.message.text : '')));
        }
        expect(seen).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
      });

      it('hands out appended entries like committed ones: claimed once, in order, counted, acked', async () => {
        const { store } = await open();
        const shard = store.layout.shards - 1;
        await store.appendOutbox(shard, [event('case_opened'), message('staff reply 1'), message('staff reply 2')]);
        await store.commitConversation({ person: alice, expectedVersion: 0, session: '{}', sessionTtlMs: 60_000, outbox: [event('assessment_completed')] });
        expect(await store.outboxDepth()).toBe(4);
        // A claim takes a few entries from each shard: claim until nothing is left.
        const claimed: OutboxItem[] = [];
        for (let batch = await store.claimOutbox('sender-a', 10); batch.length > 0; batch = await store.claimOutbox('sender-a', 10)) claimed.push(...batch);
        const appended = claimed.filter((i) => !(i.entry.kind === 'event' && i.entry.event.type === 'assessment_completed'));
        expect(appended.map((i) => i.entry)).toEqual([event('case_opened'), message('staff reply 1'), message('staff reply 2')]);
        expect(claimed.map((i) => i.deliveries)).toEqual([1, 1, 1, 1]);
        expect(await store.claimOutbox('sender-b', 10)).toEqual([]);
        await store.ackOutbox(appended);
        expect(await store.outboxDepth()).toBe(1);
        await store.ackOutbox(claimed);
        expect(await store.outboxDepth()).toBe(0);
      });

      it('lets another sender reclaim an appended entry, and appends again after the senders started', async () => {
        const { store, elapse } = await open();
        // The senders' group exists before this append: the entry must still reach them.
        expect(await store.claimOutbox('crashed-sender', 10)).toEqual([]);
        await store.appendOutbox(0, [event('case_closed')]);
        expect((await store.claimOutbox('crashed-sender', 10)).map((i) => i.entry)).toEqual([event('case_closed')]);
        await elapse(150);
        const reclaimed = await store.reclaimOutbox('rescuer', 100, 10);
        expect(reclaimed.map((i) => [i.entry, i.deliveries])).toEqual([[event('case_closed'), 2]]);
        await store.ackOutbox(reclaimed);
        expect(await store.outboxDepth()).toBe(0);
      });

      it('tells when the oldest entry not yet acknowledged was queued, and nothing once all are', async () => {
        const { store, elapse } = await open();
        expect(await store.outboxOldestAt()).toBeUndefined();
        await store.appendOutbox(store.layout.shards - 1, [event('case_opened')]);
        const first = await store.outboxOldestAt();
        expect(first).toEqual(expect.any(Number));
        await elapse(60);
        await store.commitConversation({ person: alice, expectedVersion: 0, session: '{}', sessionTtlMs: 60_000, outbox: [event('assessment_completed')] });
        // A later entry, wherever its shard, does not make the outbox look younger.
        expect(await store.outboxOldestAt()).toBe(first);
        const claimed: OutboxItem[] = [];
        for (let batch = await store.claimOutbox('s', 10); batch.length > 0; batch = await store.claimOutbox('s', 10)) claimed.push(...batch);
        expect(claimed).toHaveLength(2);
        // Claimed but not acknowledged: still waiting for delivery.
        expect(await store.outboxOldestAt()).toBe(first);
        await store.ackOutbox(claimed.filter((i) => i.entry.kind === 'event' && i.entry.event.type === 'case_opened'));
        const second = await store.outboxOldestAt();
        expect(second).toBeGreaterThanOrEqual((first ?? 0) + 50);
        await store.ackOutbox(claimed);
        expect(await store.outboxOldestAt()).toBeUndefined();
      });

      it('appends nothing for no entries, and refuses a shard outside the layout', async () => {
        const { store } = await open();
        await store.appendOutbox(0, []);
        expect(await store.outboxDepth()).toBe(0);
        expect(await store.claimOutbox('s', 10)).toEqual([]);
        await expect(store.appendOutbox(store.layout.shards, [event('lost')])).rejects.toThrow(RangeError);
        await expect(store.appendOutbox(-1, [event('lost')])).rejects.toThrow(RangeError);
        expect(await store.outboxDepth()).toBe(0);
      });

      it('counts deliveries, and moves an entry given up on to the dead letters', async () => {
        const { store, elapse } = await open();
        await store.commitConversation({ person: bob, expectedVersion: 0, session: '{}', sessionTtlMs: 60_000, outbox: [message('poison')] });
        expect((await store.claimOutbox('a', 10)).map((i) => i.deliveries)).toEqual([1]);
        await elapse(150);
        const again = await store.reclaimOutbox('b', 100, 10);
        expect(again.map((i) => i.deliveries)).toEqual([2]);
        await store.deadLetterOutbox(again);
        expect(await store.outboxDepth()).toBe(0);
        expect(await store.deadLetterDepth()).toBe(1);
        expect(await store.reclaimOutbox('c', 0, 10)).toEqual([]);
      });

      it('drops the dead letters an erase picks, and only those', async () => {
        const { store } = await open();
        await store.commitConversation({ person: bob, expectedVersion: 0, session: '{}', sessionTtlMs: 60_000, outbox: [message('to bob'), message('again')] });
        await store.commitConversation({ person: alice, expectedVersion: 0, session: '{}', sessionTtlMs: 60_000, outbox: [event('relay_message')] });
        // A claim takes at most max/shards from each shard: ask for enough that all three come, wherever the pseudonyms put them.
        await store.deadLetterOutbox(await store.claimOutbox('a', 100));
        expect(await store.deadLetterDepth()).toBe(3);
        const shards = [store.layout.shardOf(bob), store.layout.shardOf(alice)];
        expect(await store.dropDeadLetters(shards, (e) => e.to === bob.id)).toBe(2);
        expect(await store.deadLetterDepth()).toBe(1);
        expect(await store.dropDeadLetters(shards, (e) => e.to === bob.id)).toBe(0);
        await expect(store.dropDeadLetters([store.layout.shards], () => true)).rejects.toThrow(RangeError);
      });
    });
  });
}
