/** Engine behaviour that the shipped flows do not exercise: free-text questions with validation. */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import { FlowSchema } from '../../src/engine/flowSchema.js';
import { step } from '../../src/engine/step.js';
import type { Input, Session } from '../../src/engine/types.js';
import { assess } from '../../src/risk/assess.js';
import { realContent } from '../support/content.js';

const content = realContent();
const form = FlowSchema.parse({
  id: 'form',
  start: 'age',
  nodes: {
    age: { type: 'input', text: 'check-intro', validate: 'number', error: 'not-understood-choice', next: 'phone' },
    phone: { type: 'input', text: 'check-intro', validate: 'phone', error: 'not-understood-yesno', next: 'name' },
    name: { type: 'input', text: 'check-intro', validate: 'nonempty', error: 'not-understood-choice', next: 'note' },
    // One more question, so that the answers can be read before the end drops them.
    note: { type: 'input', text: 'check-intro', validate: 'nonempty', error: 'not-understood-choice', next: 'done' },
    done: { type: 'end', then: 'menu' },
  },
});
const engine = createEngine({
  flows: [...content.flows, form],
  commands: { ...content.commands, entry: { ...content.commands.entry, start: { ...content.commands.entry.start, form: 'form' } } },
  contacts: content.contacts,
  t: content.translator,
  assess: (a) => assess(content.catalogue, a),
  idleExpiryMs: 86_400_000,
});

function run(inputs: Input[]): { session: Session | null; last: string[] } {
  let s: Session | null = null;
  let last: string[] = [];
  for (const [i, input] of inputs.entries()) {
    const r = step(engine, s, input, { channel: 'web', now: 1_800_000_000_000 + i * 1000 });
    s = r.session;
    last = r.messages.map((m) => m.text);
  }
  return { session: s, last };
}

describe('free-text questions', () => {
  it('saves a number, a phone and a text when they validate', () => {
    const { session } = run([{ kind: 'start', payload: 'form' }, { kind: 'text', text: '15.000.000' }, { kind: 'text', text: '+62 812-3456-7890' }, { kind: 'text', text: '  Pak Budi  ' }]);
    expect(session?.answers).toEqual({ age: 15000000, phone: '+6281234567890', name: 'Pak Budi' });
    expect(session?.at).toEqual({ flow: 'form', node: 'note' });
  });

  it('asks again with the question’s own hint when the answer does not validate', () => {
    const { session, last } = run([{ kind: 'start', payload: 'form' }, { kind: 'text', text: 'lima belas' }]);
    expect(session?.at).toEqual({ flow: 'form', node: 'age' });
    expect(last[0]).toBe(content.translator.t('id', 'not-understood-choice'));
    const phone = run([{ kind: 'start', payload: 'form' }, { kind: 'text', text: '20' }, { kind: 'text', text: '12' }]);
    expect(phone.session?.at).toEqual({ flow: 'form', node: 'phone' });
    expect(phone.last[0]).toBe(content.translator.t('id', 'not-understood-yesno'));
  });

  it('takes the caption of a photo as the answer to a free-text question', () => {
    const { session } = run([{ kind: 'start', payload: 'form' }, { kind: 'media', media: 'image', caption: '42' }]);
    expect(session?.answers.age).toBe(42);
  });

  it('cuts a very long answer at a word, keeping at most 500 characters', () => {
    const long = 'kata '.repeat(200);
    const { session } = run([{ kind: 'start', payload: 'form' }, { kind: 'text', text: '1' }, { kind: 'text', text: '081234567890' }, { kind: 'text', text: long }]);
    const name = String(session?.answers.name);
    expect(name.length).toBeLessThanOrEqual(500);
    expect(name.endsWith('kata')).toBe(true);
  });
});
