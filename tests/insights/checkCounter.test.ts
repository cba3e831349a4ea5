/**
 * Counting finished checks for the insight dashboard (src/insights/checkCounter.ts): which counts
 * one `assessment_completed` event adds, on which day, once however often it is delivered, and,
 * on a real redis-server, that the counts hold no id of anyone.
 */
import { describe, expect, it } from 'vitest';
import { countsOfCheck, createCheckCounter, INSIGHT_RETENTION_MS } from '../../src/insights/checkCounter.js';
import type { OutboxEntry } from '../../src/storage/store.js';
import { useRedisStore } from '../support/redisServer.js';

type EventEntry = Extract<OutboxEntry, { kind: 'event' }>;

const PHONE = '6281234567890';
const finished = (over: Partial<EventEntry> = {}, event: Record<string, unknown> = {}): EventEntry => ({
  kind: 'event',
  channel: 'whatsapp',
  to: PHONE,
  at: Date.parse('2026-03-01T23:30:00Z'),
  seq: '12.0',
  event: { type: 'assessment_completed', flow: 'check', level: 'high', signs: ['visa_not_work', 'no_contract'], unknown: ['fee'], tally: { destination: 'saudi', job: 'domestic' }, ...event },
  ...over,
});

describe('the counts of one check', () => {
  it('are its level, each sign once, and its tallied answers under its level', () => {
    expect(countsOfCheck(finished().event)).toEqual({
      'level:high': 1,
      'sign:visa_not_work': 1,
      'sign:no_contract': 1,
      'high:destination:saudi': 1,
      'high:job:domestic': 1,
    });
    expect(countsOfCheck({ type: 'assessment_completed', level: 'low', signs: ['a_sign', 'a_sign'], unknown: [] })).toEqual({ 'level:low': 1, 'sign:a_sign': 1 });
  });

  it('never take text that is not an id, and nothing from other events', () => {
    const counts = countsOfCheck({ type: 'assessment_completed', level: 'medium', signs: ['ok_sign', 'Budi 0812', '<b>'], unknown: [], tally: { destination: 'Kuala Lumpur, jl. Mawar 5', 'job:x': 'domestic', job: 'fishing' } });
    expect(counts).toEqual({ 'level:medium': 1, 'sign:ok_sign': 1, 'medium:job:fishing': 1 });
    expect(countsOfCheck({ type: 'assessment_completed', level: 'extreme', signs: [] })).toBeUndefined();
    expect(countsOfCheck({ type: 'handoff_requested', level: 'high' })).toBeUndefined();
    expect(countsOfCheck({ type: 'report_filed' })).toBeUndefined();
  });
});

describe('on a real redis-server', () => {
  const redis = useRedisStore();

  it('counts a check on its day in the hotline time zone, once however often it is delivered, and keeps the counts 400 days', async () => {
    redis.server().cli('FLUSHALL');
    const store = redis.store();
    const count = createCheckCounter({ store, timeZone: 'Asia/Jakarta', now: () => 0 });
    const entry = finished();
    // The first delivery, a sender's retry after a crash, and two at once from two instances.
    await count(entry);
    await count(entry);
    await Promise.all([count(entry), count(entry)]);
    await count(finished({ seq: '13.0', to: '6289999999999' }, { level: 'low', signs: [], tally: { destination: 'east_asia', job: 'factory_construction' } }));
    // Other events and messages add nothing.
    await count(finished({ seq: '14.0' }, { type: 'handoff_requested' }));

    // 23:30 UTC on 1 March is 06:30 on 2 March in Jakarta.
    const [day, before] = await store.countersRead([store.layout.insightCounts('2026-03-02'), store.layout.insightCounts('2026-03-01')]);
    expect(day).toEqual({
      'level:high': 1,
      'level:low': 1,
      'sign:visa_not_work': 1,
      'sign:no_contract': 1,
      'high:destination:saudi': 1,
      'high:job:domestic': 1,
      'low:destination:east_asia': 1,
      'low:job:factory_construction': 1,
    });
    expect(before).toEqual({});

    const keys = redis.server().cli('--scan', '--pattern', 'wsp:{ins:*').split('\n').sort();
    expect(keys).toHaveLength(3);
    expect(keys[0]).toBe('wsp:{ins:2026-03-02}:checks');
    // The markers are pseudonyms of the events, and go within a day; the counts stay 400 days.
    for (const marker of keys.slice(1)) {
      expect(marker).toMatch(/^wsp:\{ins:2026-03-02\}:seen:[A-Za-z0-9_-]{22}$/);
      expect(Number(redis.server().cli('PTTL', marker))).toBeLessThanOrEqual(24 * 60 * 60 * 1000);
    }
    const ttl = Number(redis.server().cli('PTTL', 'wsp:{ins:2026-03-02}:checks'));
    expect(ttl).toBeGreaterThan(INSIGHT_RETENTION_MS - 60_000);
    // No phone number, sequence or channel in any key, field or value.
    const all = [...keys, ...redis.server().cli('HGETALL', 'wsp:{ins:2026-03-02}:checks').split('\n')].join(' ');
    expect(all).not.toMatch(/6281234567890|6289999999999|whatsapp|12\.0/);
  });
});
