/**
 * The recruiter lookup of a job-offer check: a number in any format finds the reports filed under
 * it, one reporter's grudge is no warning, and an agency name gets the register's answer (or how
 * to check it when no register was imported) — never a claim either way without one.
 */
import { describe, expect, it } from 'vitest';
import { fold } from '../../src/common/normalize.js';
import { buildAgencyRegister } from '../../src/reports/agencyRegister.js';
import { createRecruiterLookup } from '../../src/reports/facts.js';
import type { RecruiterKey } from '../../src/reports/recruiter.js';

const register = buildAgencyRegister({
  importedAt: '2026-10-01',
  entries: [
    { name: 'PT Contoh Sejahtera Abadi', licence: 'CONTOH-0001', validUntil: '2027-12-31', province: 'Jawa Timur' },
    { name: 'PT Contoh Lama Jaya', licence: 'CONTOH-0002', validUntil: '2025-06-30', province: 'NTB' },
  ],
});
const unknownPhrases = ['tidak tahu', 'don t know'].map(fold);
/** Reports by key: the reporters of each (the real store counts distinct valid reporters the same way). */
const reported = new Map<RecruiterKey, string[]>([['phone:+6281234567890', ['a', 'b', 'b']]]);
const reportersFor = async (keys: RecruiterKey[]) => new Set(keys.flatMap((k) => reported.get(k) ?? [])).size;
const lookup = (withRegister: boolean, warnMin = 2) =>
  createRecruiterLookup({ reportersFor, ...(withRegister ? { register: async () => register } : {}), warnMin, today: () => '2026-11-28', unknownPhrases });

describe('recruiter lookup', () => {
  it('finds the reports of a number written another way, from the minimum number of reporters on', async () => {
    expect(await lookup(true)('+62 812-3456-7890')).toEqual({ recruiterReports: 2 });
    expect(await lookup(true)('wa.me/6281234567890')).toEqual({ recruiterReports: 2 });
    expect(await lookup(true, 3)('081234567890')).toEqual({});
  });

  it('checks an agency name against the register: found, expired, not found', async () => {
    expect((await lookup(true)('pt contoh sejahtera abadi')).agency).toMatchObject({ kind: 'found', licence: 'CONTOH-0001', fuzzy: false, importedAt: '2026-10-01' });
    expect((await lookup(true)('Contoh Lama Jaya')).agency).toMatchObject({ kind: 'expired', licence: 'CONTOH-0002', validUntil: '2025-06-30' });
    expect((await lookup(true)('PT Maju Mundur Sekali')).agency).toEqual({ kind: 'not_found', importedAt: '2026-10-01' });
  });

  it('never says "found" of an LPK or CV named like a licensed PT, nor "expired" of a look-alike or a licence that may have been renewed', async () => {
    expect((await lookup(true)('LPK Contoh Sejahtera Abadi')).agency).toEqual({ kind: 'not_found', importedAt: '2026-10-01' });
    expect((await lookup(true)('CV Contoh Sejahtera Abadi')).agency).toEqual({ kind: 'not_found', importedAt: '2026-10-01' });
    expect((await lookup(true)('PT Contoh Lama Raya')).agency).toMatchObject({ kind: 'found', fuzzy: true });
    const renewedMaybe = buildAgencyRegister({ importedAt: '2026-10-01', entries: [{ name: 'PT Contoh Baru Sentosa', licence: 'CONTOH-0003', validUntil: '2026-11-01', province: '' }] });
    const late = createRecruiterLookup({ reportersFor, register: async () => renewedMaybe, warnMin: 2, today: () => '2026-11-28', unknownPhrases });
    expect((await late('PT Contoh Baru Sentosa')).agency).toMatchObject({ kind: 'found', validUntil: '2026-11-01' });
  });

  it('looks up each of several numbers in one answer', async () => {
    expect(await lookup(true)('0812-0000-0000, 0812-3456-7890')).toEqual({ recruiterReports: 2 });
  });

  it('claims nothing about an agency without a register, and looks nothing up for "tidak tahu"', async () => {
    expect((await lookup(false)('PT Contoh Sejahtera Abadi')).agency).toEqual({ kind: 'no_register' });
    expect(await lookup(true)('tidak tahu')).toEqual({});
  });
});
