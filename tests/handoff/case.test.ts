import { describe, expect, it } from 'vitest';
import { anonymise, assertCanReply, claim, close, higherPriority, IllegalTransition, openCase, setBotMuted, type Case } from '../../src/handoff/case.js';
import { newCaseId, normaliseCaseId } from '../../src/handoff/caseStore.js';

const t0 = Date.parse('2026-03-02T03:00:00Z');
const fresh = (): Case =>
  openCase('K7M4QX', t0, 'high', { reason: 'high_risk', level: 'high', signs: ['visa_not_work'], answers: { recruiter: 'Pak Joko' }, lang: 'id', channel: 'whatsapp' }, { channel: 'whatsapp', id: '6281200000001' });

describe('case state machine', () => {
  it('goes open → claimed → closed, recording who and when', () => {
    const claimed = claim(fresh(), 'Sari', t0 + 60_000);
    expect(claimed).toMatchObject({ status: 'claimed', claimedBy: 'Sari', claimedAt: t0 + 60_000 });
    const closed = close(claimed, 'referred', t0 + 120_000);
    expect(closed).toMatchObject({ status: 'closed', outcome: 'referred', closedAt: t0 + 120_000, personPresent: false });
    // The address is not kept once the case is closed.
    expect(closed.person).toBeUndefined();
  });

  it('may be closed without a claim (spam, duplicate)', () => {
    expect(close(fresh(), 'spam', t0).status).toBe('closed');
  });

  it('refuses illegal transitions with a message staff can read', () => {
    const claimed = claim(fresh(), 'Sari', t0);
    expect(() => claim(claimed, 'Budi', t0)).toThrow(new IllegalTransition('Case #K7M4QX is already claimed by Sari.'));
    const closed = close(claimed, 'resolved', t0);
    expect(() => claim(closed, 'Budi', t0)).toThrow(/closed; it cannot be claimed/);
    expect(() => close(closed, 'resolved', t0)).toThrow(/already closed/);
    expect(() => setBotMuted(closed, false)).toThrow(IllegalTransition);
    expect(() => assertCanReply(closed)).toThrow(/can no longer be reached/);
    // An outcome outside the list is refused (a form could send anything).
    expect(() => close(fresh(), 'whatever' as never, t0)).toThrow(/not a closing outcome/);
  });

  it('mutes and unmutes the bot, refusing a no-op', () => {
    const unmuted = setBotMuted(fresh(), false);
    expect(unmuted.botMuted).toBe(false);
    expect(() => setBotMuted(unmuted, false)).toThrow(/already unmuted/);
    expect(setBotMuted(unmuted, true).botMuted).toBe(true);
  });

  it('refuses a reply once the person left', () => {
    expect(() => assertCanReply({ ...fresh(), personPresent: false })).toThrow(/left the conversation/);
    expect(() => assertCanReply(fresh())).not.toThrow();
  });

  it('anonymises: closed as erased, no answers, no address; the statistics stay', () => {
    const a = anonymise(claim(fresh(), 'Sari', t0), t0 + 1);
    expect(a).toMatchObject({ status: 'closed', outcome: 'erased', priority: 'high', summary: { reason: 'high_risk', level: 'high', signs: ['visa_not_work'], answers: {} } });
    expect(a.person).toBeUndefined();
    expect(JSON.stringify(a)).not.toContain('Joko');
    // A case closed before the erase keeps its outcome but loses its content too.
    const b = anonymise(close(fresh(), 'referred', t0), t0 + 1);
    expect(b).toMatchObject({ outcome: 'referred', summary: { answers: {} } });
  });

  it('orders priorities', () => {
    expect(higherPriority('normal', 'urgent')).toBe('urgent');
    expect(higherPriority('high', 'normal')).toBe('high');
  });
});

describe('case ids', () => {
  it('are six characters that cannot be confused when read aloud', () => {
    const ids = new Set(Array.from({ length: 2000 }, newCaseId));
    expect(ids.size).toBeGreaterThan(1990);
    for (const id of ids) expect(id).toMatch(/^[346789ABCDEFGHJKMNPQRTWXY]{6}$/);
  });

  it('are read back forgivingly', () => {
    expect(normaliseCaseId(' #k7m4qx ')).toBe('K7M4QX');
    expect(normaliseCaseId('K0M4QX')).toBeUndefined();
    expect(normaliseCaseId('K7M4QX1')).toBeUndefined();
  });
});
