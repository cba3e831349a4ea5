import { describe, expect, it } from 'vitest';
import { assess } from '../../src/risk/assess.js';
import type { Catalogue } from '../../src/risk/signs.js';
import { realContent } from '../support/content.js';

const catalogue = realContent().catalogue;

/** A proper offer: every answer the safe one. */
const SAFE = {
  destination: 'east_asia',
  job: 'factory_construction',
  recruiter: 'licensed_checked',
  visa: 'work_visa',
  contract: 'signed_indonesian',
  fee: 'none',
  documents: 'no',
  speed: 'no',
  steps: 'all_done',
  falsified: 'no',
  secrecy: 'none',
};

const run = (changes: Record<string, string | number>) => assess(catalogue, { ...SAFE, ...changes });

describe('assessment with the real signs catalogue', () => {
  it('finds nothing in a proper offer and calls it low', () => {
    expect(run({})).toMatchObject({ level: 'low', signs: [], open: [], score: 0 });
  });

  it.each([
    [{ visa: 'visit' }, 'visa_not_work'],
    [{ visa: 'umrah' }, 'visa_not_work'],
    [{ visa: 'no_visa' }, 'visa_not_work'],
    [{ contract: 'foreign_only' }, 'no_contract'],
    [{ contract: 'none' }, 'no_contract'],
    [{ recruiter: 'individual' }, 'unlicensed_recruiter'],
    [{ recruiter: 'lpk' }, 'unlicensed_recruiter'],
    [{ destination: 'saudi', job: 'domestic', me_channel: 'private_household' }, 'domestic_work_middle_east'],
    [{ destination: 'middle_east', job: 'domestic' }, 'domestic_work_middle_east'],
    [{ fee: 'written', job: 'fishing' }, 'placement_fee'],
    [{ destination: 'mekong', job: 'online_office' }, 'scam_hub_offer'],
    [{ documents: 'yes' }, 'documents_held'],
    [{ fee: 'upfront', job: 'domestic' }, 'placement_fee'],
    [{ fee: 'loan', job: 'fishing' }, 'placement_fee'],
    [{ fee: 'personal_account', job: 'plantation' }, 'placement_fee'],
    [{ falsified: 'yes' }, 'falsified_documents'],
    [{ secrecy: 'route' }, 'irregular_route'],
    [{ steps: 'none' }, 'steps_skipped'],
  ])('a critical sign alone makes it high: %j → %s', (changes, sign) => {
    const a = run(changes);
    expect(a.level).toBe('high');
    expect(a.signs.map((s) => s.id)).toEqual([sign]);
    expect(a.signs[0]?.severity).toBe('critical');
  });

  it.each([
    [{ speed: 'yes' }, 'rushed_process'],
    [{ steps: 'some_missing' }, 'steps_skipped'],
    [{ secrecy: 'secret' }, 'secrecy'],
    [{ fee: 'upfront' }, 'placement_fee'],
    [{ job: 'fishing', fishing_terms: 'yes' }, 'fishing_crew_red_flags'],
  ])('one major sign makes it medium: %j → %s', (changes, sign) => {
    const a = run(changes);
    expect(a.level).toBe('medium');
    expect(a.signs).toEqual([expect.objectContaining({ id: sign, severity: 'major' })]);
  });

  it('a written fee is no sign for a factory job, and SPSK in Saudi Arabia is no sign', () => {
    expect(run({ fee: 'written' }).signs).toEqual([]);
    expect(run({ destination: 'saudi', job: 'domestic', me_channel: 'spsk_company' }).signs).toEqual([]);
  });

  it('two major signs make it high', () => {
    expect(run({ speed: 'yes', secrecy: 'secret' }).level).toBe('high');
  });

  it('one minor sign stays low but is listed, with the licence left to check', () => {
    const a = run({ recruiter: 'online_only' });
    expect(a.level).toBe('low');
    expect(a.signs.map((s) => s.id)).toEqual(['online_only']);
    expect(a.open.map((q) => q.id)).toEqual(['recruiter']);
  });

  it('escalates fishing-crew signs to critical together with an unlicensed recruiter', () => {
    const a = run({ job: 'fishing', fishing_terms: 'yes', recruiter: 'individual' });
    expect(a.signs.find((s) => s.id === 'fishing_crew_red_flags')?.severity).toBe('critical');
  });

  it('two unanswered important questions make it at least medium', () => {
    const one = run({ visa: 'unknown' });
    expect(one.level).toBe('low');
    const two = run({ visa: 'unknown', contract: 'unknown' });
    expect(two.level).toBe('medium');
    expect(two.open.map((q) => q.id)).toEqual(['visa', 'contract']);
  });

  it('orders signs critical first, then by weight, and adds the weights up', () => {
    const a = run({ speed: 'yes', documents: 'yes', recruiter: 'online_only' });
    expect(a.signs.map((s) => s.severity)).toEqual(['critical', 'major', 'minor']);
    expect(a.score).toBe(a.signs.reduce((n, s) => n + s.weight, 0));
  });

  it('counts every sign in the catalogue as reachable from some answers', () => {
    const all = run({
      destination: 'mekong',
      job: 'online_office',
      fishing_terms: 'yes',
      recruiter: 'online_only',
      visa: 'visit',
      contract: 'none',
      fee: 'upfront',
      documents: 'yes',
      speed: 'yes',
      steps: 'none',
      falsified: 'yes',
      secrecy: 'both',
      // What the recruiter lookup saves: reported by enough people, an expired licence.
      recruiter_reports: 2,
      agency_check: 'expired',
      // What the job-ad analyser saves for an offer far above the usual pay.
      pay: 'too_high',
    });
    const unlicensed = run({ recruiter: 'lpk' });
    const householdSaudi = run({ destination: 'saudi', job: 'domestic', me_channel: 'private_household' });
    const found = new Set([...all.signs, ...unlicensed.signs, ...householdSaudi.signs].map((s) => s.id));
    expect([...found].sort()).toEqual(catalogue.signs.map((s) => s.id).sort());
  });
});

describe('assessment rules as data', () => {
  const minimal: Catalogue = {
    rules: { high: { critical: 1, major: 2 }, medium: { major: 1, minor: 2 } },
    signs: (['a', 'b', 'c'] as const).map((id) => ({
      id,
      severity: 'minor' as const,
      weight: 1,
      title: 'x',
      why: 'x',
      safe: 'x',
      source: 'a test catalogue',
      when: { answer: id, in: ['yes'] },
    })),
    open_questions: [],
  };

  it('two minor signs make it medium when the rules say so', () => {
    expect(assess(minimal, { a: 'yes' }).level).toBe('low');
    expect(assess(minimal, { a: 'yes', b: 'yes' }).level).toBe('medium');
  });

  it('never matches a missing answer', () => {
    expect(assess(minimal, {}).signs).toEqual([]);
  });
});
