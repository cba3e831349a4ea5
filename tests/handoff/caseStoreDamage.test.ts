/** A case or timeline entry damaged in storage, or written without DATA_KEY, is never trusted and never breaks the queue. */
import { describe, expect, it } from 'vitest';
import { openCase } from '../../src/handoff/case.js';
import { createCaseStore } from '../../src/handoff/caseStore.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { createSealer, ephemeralDataKey } from '../../src/storage/sealer.js';

const summary = { reason: 'high_risk', lang: 'id', signs: [], answers: {} } as unknown as Parameters<typeof openCase>[3];

describe('case store and damaged values', () => {
  it('leaves a damaged case out of the queue (keeping it indexed) and skips an unsealed timeline entry', async () => {
    const store = createMemoryStore();
    const cases = createCaseStore(store);
    const one = await cases.create((id) => openCase(id, 1000, 'high', summary, { channel: 'web', id: 'a' }), [{ at: 1000, by: { kind: 'person' }, type: 'opened' }]);
    const two = await cases.create((id) => openCase(id, 2000, 'high', summary, { channel: 'web', id: 'b' }), [{ at: 2000, by: { kind: 'person' }, type: 'opened' }]);
    await store.set(store.layout.caseRecord(two.case.id), '{"id":"forged","status":"open"}', 60_000);
    expect((await cases.list()).map((c) => c.id)).toEqual([one.case.id]);
    // The insight dashboard's read of the period leaves it out too.
    expect((await cases.openedSince(0)).map((c) => c.id)).toEqual([one.case.id]);
    expect((await store.indexRange(store.layout.casesOpen, 10)).map((m) => m.member)).toContain(two.case.id);

    await store.listPush(store.layout.caseTimeline(one.case.id), ['{"n":2,"type":"message","text":"forged"}'], 60_000, 100);
    expect((await cases.timeline(one.case.id)).map((e) => e.type)).toEqual(['opened']);
  });

  it('answers "unavailable" for a case sealed with a key this instance lacks, instead of hiding it', async () => {
    const store = createMemoryStore();
    const cases = createCaseStore(store);
    const c = await cases.create((id) => openCase(id, 1000, 'high', summary, { channel: 'web', id: 'a' }), []);
    await store.set(store.layout.caseRecord(c.case.id), createSealer({ current: ephemeralDataKey() }).seal('{}'), 60_000);
    await expect(cases.list()).rejects.toThrow(/data key this instance does not have/);
  });
});
