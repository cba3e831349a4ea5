import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/channels/types.js';
import { createPipeline } from '../../src/conversation/pipeline.js';
import type { EngineEvent } from '../../src/engine/types.js';
import { keys } from '../../src/storage/keys.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import type { Store } from '../../src/storage/store.js';
import { realEngine } from '../support/content.js';

const engine = realEngine();
const silent = { info: () => undefined, warn: () => undefined };

function pipelineOver(store: Store, events: EngineEvent[] = []) {
  return createPipeline({ engine, store, log: silent, now: () => Date.parse('2026-03-01T08:00:00Z'), sessionRetentionMs: 3_600_000, onEvents: (_p, e) => events.push(...e) });
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
    const answers = ['4', '6', '1', '1', '1', '1', 'tidak', 'tidak', '1', 'tidak', '4'];
    const results = await Promise.all(answers.map((a, i) => p.handle(text('u1', a, `m${i}`))));
    expect(results.every((r) => !r.duplicate)).toBe(true);
    const done = events.find((e) => e.type === 'assessment_completed');
    expect(done).toMatchObject({ type: 'assessment_completed', level: 'low', signs: [] });
    const stored = JSON.parse((await store.get(keys.session({ channel: 'web', id: 'u1' }))) ?? '{}');
    expect(stored.at).toEqual({ flow: 'menu', node: 'choose' });
  });

  it('does not let one person wait for another', async () => {
    const p = pipelineOver(createMemoryStore());
    const [a, b] = await Promise.all([p.handle(text('u2', 'halo')), p.handle(text('u3', 'halo'))]);
    expect(a.messages[0]?.text).toMatch(/Waspada/);
    expect(b.messages[0]?.text).toMatch(/Waspada/);
  });

  it('processes a redelivered message id once', async () => {
    const p = pipelineOver(createMemoryStore());
    const first = await p.handle(text('u4', 'halo', 'dup-1'));
    const again = await Promise.all([p.handle(text('u4', 'halo', 'dup-1')), p.handle(text('u4', 'halo', 'dup-1'))]);
    expect(first.duplicate).toBe(false);
    expect(again.map((r) => r.duplicate)).toEqual([true, true]);
  });

  it('forgets the message id when storing fails, so the retry is processed', async () => {
    const real = createMemoryStore();
    let failNextSet = true;
    const flaky: Store = {
      ...real,
      async set(key, value, ttl) {
        if (failNextSet) {
          failNextSet = false;
          throw new Error('store unavailable');
        }
        return real.set(key, value, ttl);
      },
    };
    const p = pipelineOver(flaky);
    await expect(p.handle(text('u5', 'halo', 'retry-1'))).rejects.toThrow('store unavailable');
    const retried = await p.handle(text('u5', 'halo', 'retry-1'));
    expect(retried.duplicate).toBe(false);
    expect(retried.messages[0]?.text).toMatch(/Waspada/);
  });

  it('starts again when a stored session cannot be read', async () => {
    const store = createMemoryStore();
    await store.set(keys.session({ channel: 'web', id: 'u6' }), '{"v":99,"broken":true}', 60_000);
    const r = await pipelineOver(store).handle(text('u6', 'halo'));
    expect(r.messages[0]?.text).toMatch(/Waspada/);
  });

  it('erases every key of the person after a confirmed hapus', async () => {
    const store = createMemoryStore();
    const p = pipelineOver(store);
    await p.handle(text('u7', 'halo'));
    await p.handle(text('u7', 'hapus'));
    const r = await p.handle(text('u7', 'ya'));
    expect(r.events).toContainEqual({ type: 'erase_requested' });
    for (const key of keys.allOf({ channel: 'web', id: 'u7' })) expect(await store.get(key)).toBeUndefined();
  });
});
