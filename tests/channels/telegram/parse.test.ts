import { describe, expect, it } from 'vitest';
import { renderTelegram, TG_LIMITS } from '../../../src/channels/telegram/render.js';
import { parseUpdate, UpdateSchema } from '../../../src/channels/telegram/update.js';
import { loadUpdate } from './fixtures/load.js';

const parse = (name: string) => parseUpdate(UpdateSchema.parse(JSON.parse(loadUpdate(name))));

describe('reading Telegram updates', () => {
  it('reads a button press with its question, and the message to acknowledge', () => {
    const p = parse('callback-query');
    expect(p.inbound?.input).toEqual({ kind: 'choice', id: 'mekong', ask: 'check.destination' });
    expect(p.callback).toMatchObject({ chatId: 700000001, messageId: 42 });
    expect(parse('callback-stale').callback).toMatchObject({ messageId: 7 });
  });

  it('passes the phone language on as a hint', () => {
    expect(parse('text-en').inbound?.langHint).toBe('en');
    expect(parse('text-ms').inbound?.langHint).toBe('ms');
  });

  it('keeps a caption with a photo, and records the person’s message for the erase', () => {
    const p = parse('photo-caption');
    expect(p.inbound?.input).toMatchObject({ kind: 'media', media: 'image', caption: expect.any(String) });
    expect(p.personMessage?.chatId).toBe(700000001);
  });

  it.each([
    ['start', { kind: 'start' }],
    ['start-check', { kind: 'start', payload: 'check' }],
    ['start-sos', { kind: 'start', payload: 'sos' }],
    ['edited-message', { kind: 'media', media: 'edited' }],
    ['voice', { kind: 'media', media: 'audio' }],
  ])('%s', (name, input) => {
    expect(parse(name).inbound?.input).toEqual(input);
  });

  it('turns /commands into the words the bot knows', () => {
    const body = JSON.parse(loadUpdate('text'));
    body.message.text = '/hapus@WaspadaTestBot';
    expect(parseUpdate(UpdateSchema.parse(body)).inbound?.input).toEqual({ kind: 'text', text: 'hapus' });
  });

  it('marks blocking and unblocking, and ignores groups and channels', () => {
    expect(parse('my-chat-member-blocked').blocked).toEqual({ chatId: 700000001, blocked: true });
    expect(parse('my-chat-member-unblocked').blocked).toEqual({ chatId: 700000001, blocked: false });
    expect(parse('group-message').inbound).toBeUndefined();
    expect(parse('channel-post').ignored).toBeDefined();
  });
});

describe('rendering for Telegram', () => {
  it('puts the keyboard on the last part of a long message, one button a row', () => {
    const long = 'Kalimat panjang. '.repeat(400);
    const parts = renderTelegram({ text: long, ask: 'check.visa', choices: [{ id: 'work_visa', label: 'Visa kerja' }, { id: 'visit', label: 'Visa turis' }] });
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(TG_LIMITS.text);
    expect(parts.slice(0, -1).every((p) => !p.keyboard)).toBe(true);
    expect(parts.at(-1)?.keyboard).toEqual([[{ text: 'Visa kerja', callback_data: 'check.visa|work_visa' }], [{ text: 'Visa turis', callback_data: 'check.visa|visit' }]]);
  });

  it('drops the question tag when it would pass 64 bytes, and falls back to a numbered menu when even the id would', () => {
    const ask = `q.${'x'.repeat(60)}`;
    expect(renderTelegram({ text: 'Q', ask, choices: [{ id: 'yes', label: 'Ya' }] })[0]?.keyboard).toEqual([[{ text: 'Ya', callback_data: 'yes' }]]);
    const parts = renderTelegram({ text: 'Q', choices: [{ id: 'y'.repeat(65), label: 'Ya' }] });
    expect(parts[0]?.keyboard).toBeUndefined();
    expect(parts[0]?.text).toBe('Q\n\n1. Ya');
  });
});

describe('reading updates from the hotline staff group', () => {
  const GROUP = -1001555000111;
  const chat = { id: GROUP, type: 'supergroup', title: 'Hotline', is_forum: true };
  const sari = { id: 5001, is_bot: false, first_name: 'Sari', last_name: 'Wulandari', username: 'sari_w' };
  const staff = (update: Record<string, unknown>) => parseUpdate(UpdateSchema.parse({ update_id: 1, ...update }), { staffChatId: GROUP });
  const message = (extra: Record<string, unknown>) => ({ message: { message_id: 9, date: 1, chat, from: sari, ...extra } });

  it('reads a text in a forum topic as staff input, with the name and username for the audit', () => {
    expect(staff(message({ message_thread_id: 42, is_topic_message: true, text: 'Halo' }))).toEqual({
      staff: { kind: 'message', updateId: 1, from: { id: 5001, isBot: false, name: 'Sari Wulandari (@sari_w)' }, topic: 42, text: 'Halo' },
    });
  });

  it('keeps the General topic and reply threads apart from case topics', () => {
    expect(staff(message({ text: 'Halo' })).staff).not.toHaveProperty('topic');
    expect(staff(message({ message_thread_id: 7, text: 'a reply' })).staff).not.toHaveProperty('topic');
  });

  it('reads edits, media and button presses, and never treats the group as a person', () => {
    expect(staff({ edited_message: { message_id: 9, date: 1, chat, from: sari, message_thread_id: 42, is_topic_message: true, text: 'x' } }).staff).toMatchObject({ kind: 'edit', topic: 42 });
    expect(staff(message({ message_thread_id: 42, is_topic_message: true, photo: [{}] })).staff).toMatchObject({ kind: 'message', media: 'image' });
    const press = staff({ callback_query: { id: 'cb1', from: sari, data: 'c|K7M4QX|claim', message: { message_id: 3, chat } } });
    expect(press).toEqual({ staff: { kind: 'button', updateId: 1, callbackId: 'cb1', from: { id: 5001, isBot: false, name: 'Sari Wulandari (@sari_w)' }, data: 'c|K7M4QX|claim', messageId: 3 } });
    // The staff group's buttons are the cards': nothing for the person pipeline, no keyboard removed.
    expect(press.inbound).toBeUndefined();
    expect(press.callback).toBeUndefined();
  });

  it('leaves other groups ignored, as before', () => {
    const other = parseUpdate(UpdateSchema.parse({ update_id: 2, message: { message_id: 9, date: 1, chat: { id: -1001987654321, type: 'supergroup' }, from: sari, text: 'x' } }), { staffChatId: GROUP });
    expect(other).toEqual({ ignored: 'message in a supergroup' });
  });
});
