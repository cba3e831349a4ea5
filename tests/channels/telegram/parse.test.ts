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
