/**
 * A service without hotline staff (the in-memory store alone: no console, no staff group, no
 * webhook) must never promise a person that staff will answer: the offer of staff becomes the
 * numbers, and an emergency gives the numbers and returns to the question, as no case would be read.
 */
import { describe, expect, it } from 'vitest';
import { hotlineStaffed, parseConfig } from '../../src/config.js';
import { loadEngine } from '../../src/content/engine.js';
import { step } from '../../src/engine/step.js';
import type { Input, Session } from '../../src/engine/types.js';
import { FLOWS_DIR, LOCALES_DIR } from '../support/content.js';
import { TEST_DATA_KEY } from '../support/dataKey.js';

const engine = loadEngine({ flowsDir: FLOWS_DIR, localesDir: LOCALES_DIR }, 'id', 24 * 3600 * 1000, { staffed: false });

function talk(inputs: Input[]) {
  let s: Session | null = null;
  return inputs.map((input) => {
    const r = step(engine, s, input, { channel: 'web', now: Date.parse('2026-03-02T03:00:00Z') });
    s = r.session;
    return { ...r, session: s };
  });
}
const text = (t: string): Input => ({ kind: 'text', text: t });

describe('without hotline staff', () => {
  it('answers "talk to a person" with the numbers, not a consent question or a case', () => {
    const [, person] = talk([text('halo'), { kind: 'choice', id: 'person' }]);
    const said = person?.messages.map((m) => m.text).join('\n') ?? '';
    expect(said).toMatch(/tidak bisa membalas lewat chat/);
    expect(said).toContain('0800-1000');
    expect(person?.events.map((e) => e.type)).not.toContain('handoff_requested');
    expect(person?.session?.relay).toBeUndefined();
    expect(person?.messages.at(-1)?.choices?.map((c) => c.id)).toContain('check');
  });

  it('gives the emergency numbers and the same question again, without connecting to anyone', () => {
    const steps = talk([text('halo'), text('1'), text('tolong')]);
    const sos = steps.at(-1);
    expect(sos?.events.map((e) => e.type)).toEqual(['emergency']);
    expect(sos?.session?.relay).toBeUndefined();
    expect(sos?.messages.map((m) => m.text).join('\n')).toContain('110');
    expect(sos?.messages.at(-1)?.choices?.map((c) => c.id)).toContain('mekong');
  });

  it('is the default only when no staff can be reached', () => {
    expect(hotlineStaffed(parseConfig({}))).toBe(false);
    expect(hotlineStaffed(parseConfig({ REDIS_URL: 'redis://127.0.0.1:6379', DATA_KEY: TEST_DATA_KEY }))).toBe(true);
    expect(hotlineStaffed(parseConfig({ HOTLINE_WEBHOOK_URL: 'https://cases.example.org/hook', HOTLINE_WEBHOOK_SECRET: 'a-long-enough-secret' }))).toBe(true);
    expect(hotlineStaffed(parseConfig({ HOTLINE: 'on' }))).toBe(true);
    expect(hotlineStaffed(parseConfig({ REDIS_URL: 'redis://127.0.0.1:6379', DATA_KEY: TEST_DATA_KEY, HOTLINE: 'off' }))).toBe(false);
  });
});
