import { describe, expect, it } from 'vitest';
import { OUTCOMES } from '../../src/handoff/case.js';
import { callbackData, cardKeyboard, cardText, outcomeKeyboard, parseCallbackData, topicName, type StaffCase } from '../../src/handoff/staffCard.js';
import { realEngine } from '../support/content.js';

const t = realEngine().t;

const base: StaffCase = {
  id: 'K7M4QX',
  status: 'open',
  priority: 'high',
  summary: { reason: 'high_risk', level: 'high', signs: ['visa_not_work', 'no_contract'], answers: { destination: 'saudi', job: 'domestic' }, lang: 'en', channel: 'telegram' },
  openedAt: Date.parse('2026-03-02T03:00:00Z'),
  botMuted: true,
  personPresent: true,
};
const data = (rows: ReturnType<typeof cardKeyboard>) => rows.flat().map((b) => b.callback_data);

describe('the staff card', () => {
  it('names the topic "#<id> <priority> <level>", without a level when there is none', () => {
    expect(topicName(base)).toBe('#K7M4QX high high');
    const { level: _level, ...noLevel } = base.summary;
    expect(topicName({ ...base, priority: 'urgent', summary: { ...noLevel, reason: 'emergency' } })).toBe('#K7M4QX urgent');
  });

  it('shows why, how serious, the signs and answers, the language, channel and time, in the staff language', () => {
    const text = cardText(t, 'en', base, 'Asia/Jakarta');
    expect(text.split('\n')).toEqual([
      '📋 Case #K7M4QX',
      'Why: high-risk job offer check',
      'Priority: 🟠 high',
      'Risk level: high',
      'Warning signs: visa_not_work, no_contract',
      'Language: English (en)',
      'Channel: Telegram',
      'Opened: 2026-03-02 10:00 (Asia/Jakarta)',
      '',
      'Answers:',
      '• destination: saudi',
      '• job: domestic',
      '',
      'Status: open, nobody has claimed it yet.',
      'The bot is muted: the person talks only to staff.',
      'Everything you write in this topic goes to the person. Talk among staff elsewhere.',
    ]);
    expect(cardText(t, 'id', { ...base, status: 'claimed', claimedBy: 'Sari' })).toContain('Status: ditangani oleh Sari');
    expect(cardText(t, 'id', { ...base, status: 'closed', outcome: 'no_response' })).toContain('Status: ditutup (tidak ada respons)');
  });

  it('stays within Telegram’s 4096 characters whatever the answers', () => {
    const long = { ...base, summary: { ...base.summary, answers: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`q${i}`, 'x'.repeat(40)])) } };
    expect(cardText(t, 'en', long).length).toBeLessThanOrEqual(4096);
  });

  it('offers the buttons the case allows, each within 64 bytes of data', () => {
    expect(data(cardKeyboard(t, 'en', base))).toEqual(['c|K7M4QX|claim', 'c|K7M4QX|close', 'c|K7M4QX|unmute']);
    expect(data(cardKeyboard(t, 'en', { ...base, status: 'claimed', botMuted: false }))).toEqual(['c|K7M4QX|close', 'c|K7M4QX|mute']);
    expect(cardKeyboard(t, 'en', { ...base, status: 'closed' })).toEqual([]);
    const outcomes = data(outcomeKeyboard(t, 'en', 'K7M4QX'));
    expect(outcomes).toEqual([...OUTCOMES.map((o) => `c|K7M4QX|x:${o}`), 'c|K7M4QX|back']);
    expect(outcomes.every((d) => Buffer.byteLength(d) <= 64)).toBe(true);
  });

  it('reads back its own button data and nothing else', () => {
    expect(parseCallbackData(callbackData('K7M4QX', { type: 'claim' }))).toEqual({ caseId: 'K7M4QX', action: { type: 'claim' } });
    expect(parseCallbackData('c|K7M4QX|x:no_response')).toEqual({ caseId: 'K7M4QX', action: { type: 'outcome', outcome: 'no_response' } });
    for (const other of ['check.destination|mekong', 'c|K7M4QX|x:erased', 'c|K7M4QX|delete', 'c|k7m4qx|claim', 'c||claim']) expect(parseCallbackData(other)).toBeUndefined();
  });
});
