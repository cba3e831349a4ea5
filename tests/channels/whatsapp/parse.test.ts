import { describe, expect, it } from 'vitest';
import { verifySignature } from '../../../src/channels/whatsapp/signature.js';
import { parseWebhook, WebhookSchema } from '../../../src/channels/whatsapp/webhook.js';
import { loadFixture, signWebhook } from './fixtures/load.js';

const NOW = 1_800_000_000;
const parse = (name: string, phoneNumberId?: string) =>
  parseWebhook(WebhookSchema.parse(JSON.parse(loadFixture(name, { now: NOW }))), NOW * 1000, 3_600_000, phoneNumberId);

describe('reading WhatsApp webhooks', () => {
  it.each([
    ['interactive-button-reply', { kind: 'choice', id: 'mekong', ask: 'check.destination' }],
    ['interactive-list-reply', { kind: 'choice', id: 'domestic', ask: 'check.job' }],
    ['text', { kind: 'text', text: 'halo' }],
    ['audio-voice', { kind: 'media', media: 'audio' }],
    ['image-with-caption', { kind: 'media', media: 'image', caption: 'Lowongan kerja di Kamboja, gaji 15 juta' }],
  ])('%s', (name, input) => {
    expect(parse(name).messages.map((m) => m.input)).toEqual([input]);
  });

  it('reads a template quick reply by its payload, or else by its text', () => {
    const [m] = parse('button-template-reply').messages;
    expect(m?.input.kind === 'choice' || m?.input.kind === 'text').toBe(true);
  });

  it('keys a person on the business-scoped id when there is one, else on the phone number', () => {
    expect(parse('text-both-ids').messages[0]?.userId).toBe('ID.1349120865530274191');
    expect(parse('text').messages[0]?.userId).toBe('6281234567890');
  });

  it('marks a message that arrived hours late', () => {
    expect(parse('stale-text').messages[0]?.late).toBe(true);
    expect(parse('text').messages[0]?.late).toBeUndefined();
  });

  it('keeps the good messages of a delivery when one of them is unreadable', () => {
    const body = JSON.parse(loadFixture('text', { now: NOW }));
    const value = body.entry[0].changes[0].value;
    value.messages.push({ from: '6281234567890', id: 'wamid.broken', type: 'text', text: { body: 'x' } }); // no timestamp
    const parsed = parseWebhook(WebhookSchema.parse(body), NOW * 1000, 3_600_000);
    expect(parsed.messages.map((m) => m.messageId)).toHaveLength(1);
    expect(parsed.ignored).toEqual({ 'unreadable message': 1 });
  });

  it('does not answer messages to another number of the business account', () => {
    expect(parse('text', '999999999').messages).toEqual([]);
    expect(parse('text', '999999999').ignored).toEqual({ 'other number': 1 });
    expect(parse('text', '106540352242922').messages).toHaveLength(1);
  });

  it('records failed statuses with their codes and answers none', () => {
    const parsed = parse('statuses-failed');
    expect(parsed.messages).toEqual([]);
    expect(parsed.failures.map((f) => f.code)).toContain(131047);
    // The refused message's id, so that a staff reply's failure finds its case.
    expect(parsed.failures[0]?.messageId).toMatch(/^wamid\./);
  });

  it('accepts only an exact signature', () => {
    const body = Buffer.from(loadFixture('text'));
    const good = signWebhook(body, 's3cret');
    expect(verifySignature(body, good, 's3cret')).toBe(true);
    expect(verifySignature(body, `${good}zz`, 's3cret')).toBe(false);
    expect(verifySignature(body, `${good}, sha256=00`, 's3cret')).toBe(false);
    expect(verifySignature(body, good.toUpperCase().replace('SHA256', 'sha256'), 's3cret')).toBe(true);
    expect(verifySignature(body, undefined, 's3cret')).toBe(false);
  });
});
