/**
 * The simulated people of the benchmark: each walks the whole job-offer check, typing realistic
 * answers, on WhatsApp or Telegram. The expected replies are computed with the real engine and
 * renderers, so the harness knows exactly how many sends each person must receive at the fakes.
 */
import { fileURLToPath } from 'node:url';
import { renderTelegram } from '../src/channels/telegram/render.js';
import { renderWhatsApp } from '../src/channels/whatsapp/render.js';
import { loadEngine } from '../src/content/engine.js';
import { step } from '../src/engine/step.js';
import type { ChannelName, OutgoingMessage, Session } from '../src/engine/types.js';

/**
 * What the people type, one message after the other: a check that ends high (no number or agency
 * given for the recruiter, so no lookup), then the handoff offer declined.
 */
export const WALK = ['halo', '1', 'arab saudi', 'pembantu', 'majikan perorangan', 'calo', 'tidak tahu', 'umroh', 'nanti', 'potong gaji', 'iya', 'ya betul', 'belum ada', 'tidak', 'rahasia', 'tidak'];

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));

/** What one person's walk shows at the fake of each channel, send by send, in order. */
export function expectedTexts(): Record<'whatsapp' | 'telegram', string[]> {
  const engine = loadEngine({ flowsDir: root('flows'), localesDir: root('locales') }, 'id', 24 * 3600 * 1000);
  const walk = (channel: ChannelName, render: (m: OutgoingMessage) => string[]) => {
    let session: Session | null = null;
    const texts: string[] = [];
    for (const text of WALK) {
      const r = step(engine, session, { kind: 'text', text }, { channel, now: Date.now() });
      for (const m of r.messages) texts.push(...render(m));
      session = r.session;
    }
    return texts;
  };
  return {
    whatsapp: walk('whatsapp', (m) => renderWhatsApp(m).map((p) => (p.type === 'text' ? p.text.body : String((p.interactive.body as { text: string }).text)))),
    telegram: walk('telegram', (m) => renderTelegram(m).map((p) => p.text)),
  };
}

/** The WhatsApp phone number of simulated person `i`. */
export const phoneOf = (i: number): string => String(6281300000000 + i);
/** The Telegram chat id of simulated person `i`. */
export const chatOf = (i: number): number => 810000000 + i;
