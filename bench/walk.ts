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
import type { ChannelName, Session } from '../src/engine/types.js';

/** What the people type, one message after the other: a check that ends high, then the handoff offer declined. */
export const WALK = ['halo', '1', 'arab saudi', 'pembantu', 'majikan perorangan', 'calo', 'umroh', 'nanti', 'potong gaji', 'iya', 'ya betul', 'belum ada', 'tidak', 'rahasia', 'tidak'];

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));

/** How many sends one person's walk produces at the fake of each channel. */
export function expectedSends(): Record<'whatsapp' | 'telegram', number> {
  const engine = loadEngine({ flowsDir: root('flows'), localesDir: root('locales') }, 'id', 24 * 3600 * 1000);
  const count = (channel: ChannelName, render: (m: Parameters<typeof renderWhatsApp>[0]) => unknown[]) => {
    let session: Session | null = null;
    let sends = 0;
    for (const text of WALK) {
      const r = step(engine, session, { kind: 'text', text }, { channel, now: Date.now() });
      for (const m of r.messages) sends += render(m).length;
      session = r.session;
    }
    return sends;
  };
  return { whatsapp: count('whatsapp', renderWhatsApp), telegram: count('telegram', renderTelegram) };
}

/** The WhatsApp phone number of simulated person `i`. */
export const phoneOf = (i: number): string => String(6281300000000 + i);
/** The Telegram chat id of simulated person `i`. */
export const chatOf = (i: number): number => 810000000 + i;
