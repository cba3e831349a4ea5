import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/channels/types.js';
import { createPipeline } from '../../src/conversation/pipeline.js';
import type { EngineEvent } from '../../src/engine/types.js';
import { createSealer, ephemeralDataKey } from '../../src/storage/sealer.js';
import { StoreUnavailableError } from '../../src/storage/store.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import type { Store } from '../../src/storage/store.js';
import { realEngine } from '../support/content.js';

const engine = realEngine();
const silent = { info: () => undefined, warn: () => undefined };

/** A pipeline over `store`; every event of every handled message is appended to `events`. */
function pipelineOver(store: Store, events: EngineEvent[] = []) {
  const p = createPipeline({ engine, store, log: silent, now: () => Date.parse('2026-03-01T08:00:00Z'), sessionRetentionMs: 3_600_000 });
  return {
    handle: async (msg: InboundMessage) => {
      const r = await p.handle(msg);
      events.push(...r.events);
      return r;
    },
  };
}

const text = (userId: string, t: string, messageId?: string): InboundMessage => ({
  channel: 'web',
  userId,
  input: { kind: 'text', text: t },
  ...(messageId ? { messageId } : {}),
});

describe('conversation pipeline', () => {
  it("handles one person's messages in order even when they arrive together", async () => {
    const store = createMemoryStore();
    const events: EngineEvent[] = [];
    const p = pipelineOver(store, events);
    await p.handle({ channel: 'web', userId: 'u1', input: { kind: 'start', payload: 'check' } });
    // Every answer of a check, sent at once: each must see the session the previous one left.
    const answers = ['4', '6', '1', 'tidak tahu', '1', '1', '1', 'tidak', 'tidak', '1', 'tidak', '4'];
    const results = await Promise.all(answers.map((a, i) => p.handle(text('u1', a, `m${i}`))));
    expect(results.every((r) => !r.duplicate)).toBe(true);
    const done = events.find((e) => e.type === 'assessment_completed');
    expect(done).toMatchObject({ type: 'assessment_completed', level: 'low', signs: [] });
    const stored = await store.loadConversation({ channel: 'web', id: 'u1' });
    expect(JSON.parse(store.sealer.open(stored.session ?? '{}')).at).toEqual({ flow: 'menu', node: 'choose' });
    expect(stored.version).toBe(answers.length + 1);
  });

  it('does not let one person wait for another', async () => {
    const p = pipelineOver(createMemoryStore());
    const [a, b] = await Promise.all([p.handle(text('u2', 'halo')), p.handle(text('u3', 'halo'))]);
    expect(a.messages[0]?.text).toMatch(/Waspada/);
    expect(b.messages[0]?.text).toMatch(/Waspada/);
  });

  it('puts the messages of a channel without a synchronous answer in the outbox, in order', async () => {
    const store = createMemoryStore();
    const r = await pipelineOver(store).handle({ channel: 'whatsapp', userId: '6281200000001', messageId: 'wamid.A', input: { kind: 'text', text: 'halo' } });
    expect(r.messages).toEqual([]);
    const items = await store.claimOutbox('test', 10);
    expect(items.map((i) => i.entry.kind)).toEqual(['message', 'message']);
    expect(items[0]?.entry).toMatchObject({ kind: 'message', channel: 'whatsapp', to: '6281200000001', message: { text: expect.stringMatching(/Waspada/) } });
    expect(items[1]?.entry).toMatchObject({ message: { choices: expect.arrayContaining([expect.objectContaining({ id: 'check' })]) } });
  });

  it('writes events to the outbox with the session', async () => {
    const store = createMemoryStore();
    await pipelineOver(store).handle({ channel: 'web', userId: 'u9', input: { kind: 'text', text: 'tolong' } });
    const items = await store.claimOutbox('test', 10);
    expect(items.map((i) => i.entry)).toEqual([
      { kind: 'event', channel: 'web', to: 'u9', at: expect.any(Number), seq: '1.0', event: { type: 'emergency', summary: { lang: 'id', signs: [], answers: {} } } },
      { kind: 'event', channel: 'web', to: 'u9', at: expect.any(Number), seq: '1.1', event: { type: 'relay_message', text: 'tolong' } },
    ]);
  });

  it('processes a redelivered message id once', async () => {
    const p = pipelineOver(createMemoryStore());
    const first = await p.handle(text('u4', 'halo', 'dup-1'));
    const again = await Promise.all([p.handle(text('u4', 'halo', 'dup-1')), p.handle(text('u4', 'halo', 'dup-1'))]);
    expect(first.duplicate).toBe(false);
    expect(again.map((r) => r.duplicate)).toEqual([true, true]);
  });

  it('does not record the message id when the commit fails, so the retry is processed', async () => {
    const real = createMemoryStore();
    let failNextCommit = true;
    const flaky: Store = {
      ...real,
      async commitConversation(c) {
        if (failNextCommit) {
          failNextCommit = false;
          throw new Error('store unavailable');
        }
        return real.commitConversation(c);
      },
    };
    const p = pipelineOver(flaky);
    await expect(p.handle(text('u5', 'halo', 'retry-1'))).rejects.toThrow('store unavailable');
    const retried = await p.handle(text('u5', 'halo', 'retry-1'));
    expect(retried.duplicate).toBe(false);
    expect(retried.messages[0]?.text).toMatch(/Waspada/);
  });

  it('gives a web client whose reply was lost the same reply when it retries, without handling the message again', async () => {
    const real = createMemoryStore();
    let loseNextReply = true;
    const lossy: Store = {
      ...real,
      async commitConversation(c) {
        const outcome = await real.commitConversation(c);
        if (loseNextReply) {
          loseNextReply = false;
          throw new Error('connection dropped after the write');
        }
        return outcome;
      },
    };
    const p = pipelineOver(lossy);
    await expect(p.handle(text('u8', 'tolong', 'sos-1'))).rejects.toThrow('connection dropped');
    const retried = await p.handle(text('u8', 'tolong', 'sos-1'));
    expect(retried.duplicate).toBe(true);
    expect(retried.messages.map((m) => m.text).join('\n')).toContain('0800-1000');
    expect((await real.loadConversation({ channel: 'web', id: 'u8' })).version).toBe(1);
  });

  it('starts again when a stored session cannot be read', async () => {
    const store = createMemoryStore();
    await store.set(store.layout.session({ channel: 'web', id: 'u6' }), '3:{"v":99,"broken":true}', 60_000);
    const r = await pipelineOver(store).handle(text('u6', 'halo'));
    expect(r.messages[0]?.text).toMatch(/Waspada/);
    // Damaged in storage (one character changed): the person starts again too.
    const sealed = store.sealer.seal('{"v":1}');
    const damaged = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.slice(-1);
    await store.set(store.layout.session({ channel: 'web', id: 'u6b' }), `3:${damaged}`, 60_000);
    expect((await pipelineOver(store).handle(text('u6b', 'halo'))).messages[0]?.text).toMatch(/Waspada/);
  });

  it('leaves a session sealed with a key it does not have, and answers "unavailable" so the provider retries', async () => {
    const store = createMemoryStore();
    // Written by an instance that already has a new DATA_KEY this one does not know yet.
    const foreign = `3:${createSealer({ current: ephemeralDataKey() }).seal('{"v":1}')}`;
    const key = store.layout.session({ channel: 'web', id: 'u6c' });
    await store.set(key, foreign, 60_000);
    await expect(pipelineOver(store).handle(text('u6c', 'halo'))).rejects.toThrow(StoreUnavailableError);
    expect(await store.get(key)).toBe(foreign);
  });

  it('erases every key of the person after a confirmed hapus', async () => {
    const store = createMemoryStore();
    const p = pipelineOver(store);
    await p.handle(text('u7', 'halo'));
    await p.handle(text('u7', 'hapus'));
    const r = await p.handle(text('u7', 'ya'));
    expect(r.events).toContainEqual({ type: 'erase_requested', lang: 'id' });
    // Nothing of the conversation is left: the session key holds only a version number for a few minutes.
    const person = { channel: 'web', id: 'u7' };
    for (const key of store.layout.allOf(person)) {
      if (key === store.layout.session(person)) expect(await store.get(key)).toMatch(/^\d+:$/);
      else expect(await store.get(key)).toBeUndefined();
    }
    expect((await store.loadConversation({ channel: 'web', id: 'u7' })).session).toBeUndefined();
  });
});

describe('staff actions through the pipeline', () => {
  const staff = (userId: string, id: string, text: string): InboundMessage => ({ channel: 'web', userId, messageId: `staff:${id}`, caseId: 'K7M4QX', input: { kind: 'staff', action: { type: 'reply', text } } });

  it('reach a web person through the outbox (not the synchronous answer), tagged with the case', async () => {
    const store = createMemoryStore();
    const p = pipelineOver(store);
    // An emergency word connects the person to staff at once.
    await p.handle(text('u9', 'sos'));
    await store.claimOutbox('test', 10).then((items) => store.ackOutbox(items));
    const r = await p.handle(staff('u9', 'r1', 'Halo dari petugas'));
    expect(r.messages).toEqual([]);
    const items = await store.claimOutbox('test', 10);
    expect(items.map((i) => i.entry)).toEqual([expect.objectContaining({ kind: 'message', channel: 'web', to: 'u9', caseId: 'K7M4QX', message: { text: expect.stringContaining('Halo dari petugas') } })]);
  });

  it('find nobody when the person has no conversation (erased or expired): nothing is stored', async () => {
    const store = createMemoryStore();
    const r = await pipelineOver(store).handle(staff('u10', 'r2', 'Halo?'));
    expect(r).toMatchObject({ gone: true, messages: [] });
    expect((await store.loadConversation({ channel: 'web', id: 'u10' })).session).toBeUndefined();
    expect(await store.outboxDepth()).toBe(0);
  });
});

describe('what the pipeline logs', () => {
  it('never the words a person writes to staff, nor the answers shared with them', async () => {
    const lines: string[] = [];
    const log = { info: (obj: object, msg?: string) => lines.push(JSON.stringify(obj) + (msg ?? '')), warn: (obj: object, msg?: string) => lines.push(JSON.stringify(obj) + (msg ?? '')) };
    const p = createPipeline({ engine, store: createMemoryStore(), log, now: () => Date.parse('2026-03-01T08:00:00Z'), sessionRetentionMs: 3_600_000 });
    const say = (t: string) => p.handle({ channel: 'web', userId: 'log-person-1', input: { kind: 'text', text: t } });
    // A check with a free-text answer would also do; the relay is where text flows most.
    await say('halo');
    await say('tolong saya dikurung agen Pak Joko 081234567890');
    await say('alamatnya di Jalan Melati 7');
    expect(lines.some((l) => l.includes('"type":"emergency"'))).toBe(true);
    expect(lines.some((l) => l.includes('"type":"relay_message"'))).toBe(true);
    for (const secret of ['Joko', '081234567890', 'Melati', 'dikurung']) expect(lines.join('\n')).not.toContain(secret);
  });
});
