/**
 * The per-person message limit (src/engine/pace.ts and its place in step.ts): the edges the golden
 * conversations do not reach — window boundaries, other limits, late and staff inputs, a clock
 * that went back, and a session that round-trips through the store's codec.
 */
import { describe, expect, it } from 'vitest';
import { decodeSession, encodeSession } from '../../src/conversation/sessionCodec.js';
import { engineFromContent } from '../../src/content/engine.js';
import { DEFAULT_PACE, isQuietAt, paceMessage } from '../../src/engine/pace.js';
import { step } from '../../src/engine/step.js';
import type { Input, Session, StepResult } from '../../src/engine/types.js';
import { DAY_MS, realContent } from '../support/content.js';

const content = realContent();
const T0 = 1_800_000_000_000;
const LIMITS = { max: 3, windowMs: 10_000, quietMs: 20_000 };

/** The real engine with other limits (the engine is plain data: its `pace` is what step reads). */
function engineWith(pace: typeof LIMITS | null = LIMITS, staffed = true) {
  const e = engineFromContent(content, DAY_MS, { staffed });
  return pace ? { ...e, pace } : e;
}
const engine = engineWith();
const slowDownText = (lang = 'id', minutes = 1) => content.translator.t(lang, 'slow-down', { minutes });
const text = (t: string): Input => ({ kind: 'text', text: t });

/** A person who writes; `send` steps the engine at `at` ms after T0 and keeps the session. */
function person(e = engine) {
  let session: Session | null = null;
  return {
    send(input: Input, at: number, extra: { late?: boolean } = {}): StepResult {
      const r = step(e, session, input, { channel: 'whatsapp', now: T0 + at, ...extra });
      session = r.session;
      return r;
    },
    get session() {
      return session;
    },
  };
}

describe('paceMessage', () => {
  it('opens a window with the first message and says "over" for the first message past the limit', () => {
    let pace = paceMessage(undefined, T0, LIMITS, true);
    expect(pace).toEqual({ pace: { since: T0, count: 1 }, verdict: 'ok' });
    for (const at of [1, 2]) pace = paceMessage(pace.pace, T0 + at, LIMITS, true);
    expect(pace.verdict).toBe('ok');
    expect(paceMessage(pace.pace, T0 + 3, LIMITS, true)).toEqual({ pace: { since: T0, count: 4 }, verdict: 'over' });
  });

  it('opens a new window once the old one has passed', () => {
    expect(paceMessage({ since: T0, count: 3 }, T0 + 10_000, LIMITS, true)).toEqual({ pace: { since: T0 + 10_000, count: 1 }, verdict: 'ok' });
  });

  it('is quiet until quietUntil, then opens a new window', () => {
    const quiet = { since: T0, count: 4, quietUntil: T0 + 20_000 };
    expect(paceMessage(quiet, T0 + 19_999, LIMITS, true)).toEqual({ pace: quiet, verdict: 'quiet' });
    expect(paceMessage(quiet, T0 + 20_000, LIMITS, true)).toEqual({ pace: { since: T0 + 20_000, count: 1 }, verdict: 'ok' });
  });

  it('keeps a window open when the clock went back, and does not believe a pause longer than one', () => {
    expect(paceMessage({ since: T0, count: 3 }, T0 - 500, LIMITS, true).verdict).toBe('over');
    expect(isQuietAt({ since: T0, count: 4, quietUntil: T0 + 3_600_000 }, T0, LIMITS)).toBe(false);
  });

  it('does not count a message that is not to be counted, but still reports a pause', () => {
    expect(paceMessage({ since: T0, count: 3 }, T0 + 1, LIMITS, false)).toEqual({ pace: { since: T0, count: 3 }, verdict: 'ok' });
    expect(paceMessage(undefined, T0, LIMITS, false)).toEqual({ pace: undefined, verdict: 'ok' });
    expect(paceMessage({ since: T0, count: 4, quietUntil: T0 + 20_000 }, T0 + 1, LIMITS, false).verdict).toBe('quiet');
  });

  it('is 30 messages a minute, then a minute of quiet, by default', () => {
    expect(DEFAULT_PACE).toEqual({ max: 30, windowMs: 60_000, quietMs: 60_000 });
    expect(engineWith(null).pace).toEqual(DEFAULT_PACE);
  });
});

describe('the limit in a conversation', () => {
  it('warns once, drops the rest, and answers again when the pause is over', () => {
    const p = person();
    for (let i = 0; i < 3; i++) expect(p.send(text('?'), i * 1000).messages.length).toBeGreaterThan(0);
    const warned = p.send(text('?'), 3000);
    expect(warned.messages.map((m) => m.text)).toEqual([content.translator.t('id', 'slow-down', { minutes: 1 })]);
    expect(warned.events).toEqual([]);
    for (let i = 4; i < 10; i++) expect(p.send(text('?'), i * 1000)).toMatchObject({ messages: [], events: [] });
    // The pause is 20 s from the warning: at 23 s the bot answers again, in a fresh window.
    expect(p.send(text('?'), 22_999).messages).toEqual([]);
    expect(p.send(text('?'), 23_000).messages.length).toBeGreaterThan(0);
    expect(p.session?.pace).toEqual({ since: T0 + 23_000, count: 1 });
  });

  it('tells the pause in whole minutes, rounded up', () => {
    const p = person(engineWith({ max: 1, windowMs: 60_000, quietMs: 150_000 }));
    p.send(text('halo'), 0);
    expect(p.send(text('halo'), 1).messages[0]?.text).toBe(slowDownText('id', 3));
  });

  it('counts button presses, deep links and photos like typed text', () => {
    const p = person();
    p.send({ kind: 'start' }, 0);
    p.send({ kind: 'choice', id: 'check', ask: 'menu.choose' }, 1);
    p.send({ kind: 'media', media: 'image' }, 2);
    expect(p.send({ kind: 'choice', id: 'malaysia_singapore' }, 3).messages.map((m) => m.text)).toEqual([slowDownText()]);
  });

  it('keeps the question the person was at: after the pause their answer still counts', () => {
    const p = person();
    p.send({ kind: 'start', payload: 'check' }, 0);
    p.send(text('1'), 1);
    p.send(text('1'), 2);
    const before = structuredClone(p.session);
    for (let i = 3; i < 8; i++) p.send(text('1'), i);
    expect(p.session?.at).toEqual(before?.at);
    expect(p.session?.answers).toEqual(before?.answers);
    p.send(text('1'), 30_000);
    expect(Object.keys(p.session?.answers ?? {})).toHaveLength(Object.keys(before?.answers ?? {}).length + 1);
  });

  it('answers the emergency words, hapus, its confirmation and stop during the pause', () => {
    const flood = () => {
      const p = person(engineWith(LIMITS, false));
      for (let i = 0; i < 4; i++) p.send(text('?'), i);
      return p;
    };
    const sos = flood().send({ kind: 'start', payload: 'sos' }, 10);
    expect(sos.messages.map((m) => m.text).join('\n')).toContain('110');
    const word = flood().send(text('Darurat!'), 10);
    expect(word.events.map((e) => e.type)).toEqual(['emergency']);
    const stop = flood().send(text('berhenti'), 10);
    expect(stop.events.map((e) => e.type)).toEqual(['stopped']);
    const erasing = flood();
    expect(erasing.send(text('hapus'), 10).messages[0]?.choices?.map((c) => c.id)).toEqual(['yes', 'no']);
    expect(erasing.send({ kind: 'media', media: 'sticker' }, 11).messages).toEqual([]);
    expect(erasing.send({ kind: 'choice', id: 'no', ask: 'pending.erase_confirm' }, 12).messages[0]?.text).toBe(content.translator.t('id', 'erase-cancelled'));
    // The question after the cancelled erase was shown; what follows is dropped again.
    expect(erasing.send(text('?'), 13).messages).toEqual([]);
  });

  it('sends the warning after an emergency word that was itself over the limit, not instead of it', () => {
    const p = person(engineWith(LIMITS, false));
    for (let i = 0; i < 3; i++) p.send(text('?'), i);
    expect(p.send(text('tolong'), 3).messages.map((m) => m.text)).not.toContain(slowDownText());
    expect(p.send(text('?'), 4).messages.map((m) => m.text)).toEqual([slowDownText()]);
  });

  it('does not count what staff do, nor messages the provider delivered late', () => {
    const p = person();
    p.send(text('halo'), 0);
    p.send({ kind: 'choice', id: 'person', ask: 'menu.choose' }, 1);
    p.send(text('tidak'), 2);
    for (let i = 0; i < 5; i++) expect(p.send(text('1'), 3 + i, { late: true }).messages[0]?.text).not.toBe(slowDownText());
    expect(p.session?.pace).toEqual({ since: T0, count: 3 });
    for (let i = 0; i < 5; i++) p.send({ kind: 'staff', action: { type: 'closed' } }, 10 + i);
    expect(p.session?.pace).toEqual({ since: T0, count: 3 });
    const inRelay = person();
    inRelay.send(text('tolong'), 0);
    for (let i = 0; i < 5; i++) inRelay.send({ kind: 'staff', action: { type: 'reply', text: 'Halo' } }, 1 + i);
    expect(inRelay.session?.pace).toBeUndefined();
  });

  it('does not limit a person connected to staff, with the bot muted or unmuted', () => {
    const p = person();
    p.send(text('tolong'), 0);
    for (let i = 1; i < 10; i++) expect(p.send(text(`pesan ${i}`), i).events).toEqual([{ type: 'relay_message', text: `pesan ${i}` }]);
    p.send({ kind: 'staff', action: { type: 'unmuted' } }, 10);
    for (let i = 11; i < 20; i++) expect(p.send(text('?'), i).messages.map((m) => m.text)).not.toContain(slowDownText());
    expect(p.session?.pace).toBeUndefined();
    // Back with the bot (selesai): counted again from the next message.
    p.send(text('selesai'), 20);
    for (let i = 21; i < 24; i++) p.send(text('?'), i);
    expect(p.send(text('?'), 24).messages.map((m) => m.text)).toEqual([slowDownText()]);
  });

  it('keeps the count through the store: the session codec reads what it wrote', () => {
    const p = person();
    for (let i = 0; i < 4; i++) p.send(text('?'), i);
    const stored = p.session;
    expect(stored?.pace).toEqual({ since: T0, count: 4, quietUntil: T0 + 3 + 20_000 });
    expect(decodeSession(encodeSession(stored as Session))).toEqual(stored);
    expect(step(engine, decodeSession(encodeSession(stored as Session)) ?? null, text('?'), { channel: 'whatsapp', now: T0 + 5 }).messages).toEqual([]);
  });
});
