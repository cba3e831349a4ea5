import { describe, expect, it } from 'vitest';
import { renderWhatsApp, WA_LIMITS, type WhatsAppPayload } from '../../../src/channels/whatsapp/render.js';
import { splitText, shortenLabel } from '../../../src/channels/splitText.js';
import type { OutgoingMessage } from '../../../src/engine/types.js';

const opts = (labels: string[]) => labels.map((label, i) => ({ id: `o${i}`, label }));
/** The interactive object as Meta reads it. */
interface Interactive {
  type: string;
  body: { text: string };
  action: {
    buttons?: Array<{ type: string; reply: { id: string; title: string } }>;
    button?: string;
    sections?: Array<{ rows: Array<{ id: string; title: string; description?: string }> }>;
  };
}
const interactive = (p: WhatsAppPayload | undefined) => (p?.type === 'interactive' ? (p.interactive as unknown as Interactive) : undefined);
const rowsOf = (i: Interactive | undefined) => i?.action.sections?.flatMap((s) => s.rows) ?? [];

describe('rendering for WhatsApp', () => {
  it('sends a plain text as one text message', () => {
    expect(renderWhatsApp({ text: 'Halo' })).toEqual([{ type: 'text', text: { body: 'Halo', preview_url: false } }]);
  });

  it('makes 1–3 options reply buttons, with the question in every button id', () => {
    const [p] = renderWhatsApp({ text: 'Aman?', ask: 'abroad.safe_now', button: 'Pilih', choices: opts(['Ya', 'Tidak', 'Tidak tahu']) });
    expect(interactive(p)).toEqual({
      type: 'button',
      body: { text: 'Aman?' },
      action: {
        buttons: [
          { type: 'reply', reply: { id: 'abroad.safe_now|o0', title: 'Ya' } },
          { type: 'reply', reply: { id: 'abroad.safe_now|o1', title: 'Tidak' } },
          { type: 'reply', reply: { id: 'abroad.safe_now|o2', title: 'Tidak tahu' } },
        ],
      },
    });
  });

  it('makes 4–10 options a list with the localised button', () => {
    const [p] = renderWhatsApp({ text: 'Visa?', ask: 'check.visa', button: 'Pilih', choices: opts(['A', 'B', 'C', 'D', 'E']) });
    const i = interactive(p);
    expect(i?.type).toBe('list');
    expect(i?.action.button).toBe('Pilih');
    expect(rowsOf(i).map((r) => r.id)).toEqual(['check.visa|o0', 'check.visa|o1', 'check.visa|o2', 'check.visa|o3', 'check.visa|o4']);
  });

  it('uses a list for three options whose labels are too long for buttons, keeping the full label in the description', () => {
    const [p] = renderWhatsApp({ text: 'Q', button: 'Pilih', choices: opts(['Perusahaan lewat program SPSK', 'Majikan perorangan', 'Tidak tahu']) });
    const rows = rowsOf(interactive(p));
    expect(rows[0]).toEqual({ id: 'o0', title: 'Perusahaan lewat…', description: 'Perusahaan lewat program SPSK' });
    expect(rows[1]).toEqual({ id: 'o1', title: 'Majikan perorangan' });
  });

  it('falls back to a numbered text menu for more than 10 options', () => {
    const parts = renderWhatsApp({ text: 'Pilih negara', button: 'Pilih', choices: opts(Array.from({ length: 12 }, (_, i) => `Negara ${i + 1}`)) });
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ type: 'text' });
    const body = parts[0]?.type === 'text' ? parts[0].text.body : '';
    expect(body).toContain('\n\n1. Negara 1\n');
    expect(body).toContain('12. Negara 12');
  });

  it('falls back to a numbered menu when a label cannot be shortened cleanly', () => {
    const parts = renderWhatsApp({ text: 'Q', button: 'Pilih', choices: opts(['Ketenagakerjaanperlindungan', 'B']) });
    expect(parts[0]?.type).toBe('text');
  });

  it('sends the beginning of a long question as text and keeps the interactive body under 1024', () => {
    const long = Array.from({ length: 40 }, (_, i) => `Kalimat nomor ${i + 1} yang cukup panjang untuk diuji.`).join(' ');
    const parts = renderWhatsApp({ text: long, button: 'Pilih', choices: opts(['Ya', 'Tidak']) });
    expect(parts.length).toBeGreaterThan(1);
    const last = interactive(parts.at(-1));
    expect(last?.body.text.length).toBeLessThanOrEqual(WA_LIMITS.body);
    const rejoined = parts.map((p) => (p.type === 'text' ? p.text.body : interactive(p)?.body.text)).join(' ');
    expect(rejoined.replace(/\s+/g, ' ')).toBe(long);
  });

  it('never produces a payload outside Meta limits, for any label lengths and counts', () => {
    for (let n = 1; n <= 12; n++) {
      for (const len of [1, 19, 20, 21, 24, 25, 60, 100]) {
        const label = 'kata '.repeat(Math.ceil(len / 5)).slice(0, len).trim() || 'x';
        const msg: OutgoingMessage = { text: 'x'.repeat(2000), ask: 'a.b', button: 'Pilih', choices: Array.from({ length: n }, (_, i) => ({ id: `id${i}`, label })) };
        for (const p of renderWhatsApp(msg)) {
          if (p.type === 'text') {
            expect(p.text.body.length).toBeLessThanOrEqual(WA_LIMITS.text);
            continue;
          }
          const i = interactive(p);
          expect(i?.body.text.length).toBeLessThanOrEqual(WA_LIMITS.body);
          if (i?.type === 'button') {
            expect(i.action.buttons?.length).toBeLessThanOrEqual(3);
            for (const b of i.action.buttons ?? []) expect(b.reply.title.length).toBeLessThanOrEqual(WA_LIMITS.buttonTitle);
          } else {
            const rows = rowsOf(i);
            expect(rows.length).toBeLessThanOrEqual(WA_LIMITS.rows);
            for (const r of rows) {
              expect(r.title.length).toBeLessThanOrEqual(WA_LIMITS.rowTitle);
              expect((r.description ?? '').length).toBeLessThanOrEqual(WA_LIMITS.rowDescription);
            }
          }
        }
      }
    }
  });
});

describe('splitting and shortening', () => {
  it('splits at paragraphs, then sentences, never inside a word when it can help it', () => {
    expect(splitText('Satu dua.\n\nTiga empat.', 12)).toEqual(['Satu dua.', 'Tiga empat.']);
    expect(splitText('Satu dua. Tiga empat lima.', 12)).toEqual(['Satu dua.', 'Tiga empat', 'lima.']);
    expect(splitText('a'.repeat(10), 4)).toEqual(['aaaa', 'aaaa', 'aa']);
  });

  it('does not cut an emoji in half', () => {
    const pieces = splitText('🔴'.repeat(5), 3);
    expect(pieces.join('')).toBe('🔴'.repeat(5));
    for (const p of pieces) expect(p).not.toMatch(/[\uD800-\uDBFF]$/);
  });

  it('shortens labels at a word with an ellipsis, or not at all', () => {
    expect(shortenLabel('Kerja di kapal ikan Korea', 20)).toBe('Kerja di kapal ikan…');
    expect(shortenLabel('Pendek', 20)).toBe('Pendek');
    expect(shortenLabel('Supercalifragilisticexpialidocious', 20)).toBeUndefined();
  });
});
