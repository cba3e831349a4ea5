/**
 * The free-text question about the recruiter: an answer that names nobody ("tidak ada", "belum",
 * "ya", "1") is no recruiter, whatever a lookup of those words found; a real name gets the facts.
 */
import { describe, expect, it } from 'vitest';
import { step } from '../../src/engine/step.js';
import type { Input, Session, StepResult } from '../../src/engine/types.js';
import { realEngine } from '../support/content.js';

const engine = realEngine();
const NOW = Date.parse('2026-03-02T03:00:00Z');

/** Walks to the question about the recruiter's number or agency. */
function atRecruiterQuestion(): Session {
  let s: Session | null = null;
  const inputs: Input[] = [{ kind: 'start', payload: 'check' }, { kind: 'choice', id: 'malaysia_singapore' }, { kind: 'choice', id: 'factory_construction' }, { kind: 'choice', id: 'individual' }];
  for (const input of inputs) s = step(engine, s, input, { channel: 'web', now: NOW }).session;
  if (!s || s.at?.node !== 'recruiter_identity') throw new Error(`not at the recruiter question: ${JSON.stringify(s?.at)}`);
  return s;
}
const answer = (text: string): StepResult => step(engine, atRecruiterQuestion(), { kind: 'text', text }, { channel: 'web', now: NOW, facts: { recruiterReports: 3, agency: { kind: 'not_found', importedAt: '2026-10-01' } } });

describe('the answer about the recruiter', () => {
  it.each(['tidak ada', 'Tidak punya', 'belum', 'ya', '1', 'gak tau', "don't know"])('"%s" names nobody: no warning, saved as unknown', (text) => {
    const r = answer(text);
    expect(r.session?.answers.recruiter_identity).toBe('unknown');
    expect(r.session?.answers.recruiter_reports).toBeUndefined();
    expect(r.messages.map((m) => m.text).join('\n')).not.toMatch(/melaporkan perekrut ini|daftar agensi berizin \(diimpor/);
  });

  it('a name gets what the lookup found, and it is saved for the assessment', () => {
    const r = answer('PT Maju Mundur Sekali');
    const said = r.messages.map((m) => m.text).join('\n');
    expect(said).toContain('3 orang sudah melaporkan perekrut ini');
    expect(said).toContain('tidak ada di daftar agensi berizin (diimpor tanggal 2026-10-01)');
    expect(r.session?.answers).toMatchObject({ recruiter_identity: 'PT Maju Mundur Sekali', recruiter_reports: 3, agency_check: 'not_found' });
  });
});
