import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAdAnswers, loadAdModel } from '../../src/content/adModel.js';
import { AdModelError, analyseAd, buildAdModel } from '../../src/risk/adAnalyser.js';
import { FLOWS_DIR, realContent } from '../support/content.js';

const content = realContent();
const model = loadAdModel(FLOWS_DIR, content.catalogue);
const analyse = (text: string) => analyseAd(model, text);
const ids = (text: string) => analyse(text).signs.map((s) => s.id);

describe('the ad analyser', () => {
  it('finds a scam-hub offer and quotes the original words', () => {
    const text = '🔥🔥LOWONGAN KERJA KAMBOJA🔥🔥\nDicari ADMIN & CS online, GAJI 15-20JT!!! tnp pengalaman, proses 3 hari langsung terbang';
    const a = analyse(text);
    expect(a.level).toBe('high');
    expect(a.signs.map((s) => s.id)).toEqual(['scam_hub_offer', 'rushed_process', 'pay_too_high']);
    for (const s of a.signs) expect(text.slice(s.start, s.end)).toBe(s.evidence);
    expect(a.signs[0]).toMatchObject({ severity: 'critical', evidence: 'KAMBOJA' });
    expect(a.signs[0]?.spans.map((s) => s.evidence)).toEqual(['KAMBOJA', 'ADMIN']);
    expect(a.answers).toMatchObject({ destination: 'mekong', job: 'online_office', speed: 'yes', pay: 'too_high' });
  });

  it('reads fancy Unicode letters, accents and stretched words, and quotes them as written', () => {
    const text = '𝐕𝐈𝐒𝐀 𝐊𝐔𝐍𝐉𝐔𝐍𝐆𝐀𝐍 ok, berangkaaat cepaaat!!!';
    const a = analyse(text);
    expect(a.signs.map((s) => [s.id, s.evidence])).toEqual([
      ['visa_not_work', '𝐕𝐈𝐒𝐀 𝐊𝐔𝐍𝐉𝐔𝐍𝐆𝐀𝐍'],
      ['rushed_process', 'berangkaaat cepaaat'],
    ]);
    expect(ids('Pékerjaan ÀRT di Dubaï')).toEqual(['domestic_work_middle_east']);
  });

  it('does not cross the end of a sentence or a line with a phrase', () => {
    expect(ids('Kami berangkat.\nCepat daftar')).toEqual([]);
    expect(ids('Kami berangkat, cepat!')).toEqual(['rushed_process']);
  });

  it('lets the longest phrase win, and drops phrases right after a negator', () => {
    expect(analyse('Tidak perlu visa kerja').answers.visa).toBe('no_visa');
    expect(analyse('Visa kerja resmi').answers.visa).toBeUndefined();
    expect(ids('Tanpa DP, tidak ada potongan gaji, tidak melalui calo, bukan visa turis')).toEqual([]);
    expect(ids('Tanpa pengalaman langsung berangkat')).toEqual(['rushed_process']);
    expect(ids('Tidak perlu pengalaman langsung berangkat')).toEqual(['rushed_process']);
    expect(ids('Tanpa biaya, DP 2 juta')).toEqual(['placement_fee']);
    expect(ids('Kami tidak pernah meminta transfer ke rekening pribadi')).toEqual([]);
  });

  it('passes a negation along a list, but not past a comma', () => {
    expect(ids('Tidak melalui calo/perorangan/sponsor')).toEqual([]);
    expect(ids('Tanpa DP atau potongan gaji')).toEqual([]);
    expect(ids('Tanpa DP langsung berangkat')).toEqual(['rushed_process']);
    expect(ids('Tanpa DP, langsung berangkat')).toEqual(['rushed_process']);
  });

  it('reads a follow-up only where the chat would ask it', () => {
    expect(analyse('ABK kapal ikan, program magang').answers).toMatchObject({ job: 'fishing', fishing_terms: 'yes' });
    expect(analyse('Program magang pabrik di Jepang').answers.fishing_terms).toBeUndefined();
    expect(ids('ART Arab Saudi, kerja di rumah majikan perorangan')).toEqual(['domestic_work_middle_east']);
    expect(ids('ART Arab Saudi lewat SPSK (syarikah)')).toEqual([]);
  });

  it('combines a secret with an arranged route, as the chat does', () => {
    const a = analyse('Jangan bilang keluarga. Lewat jalur tikus.');
    expect(a.answers.secrecy).toBe('both');
    expect(a.signs.map((s) => s.id).sort()).toEqual(['irregular_route', 'secrecy']);
  });
});

describe('false friends: wording of proper offers that only sounds like a sign', () => {
  it.each([
    'Hubungi admin kami di WA 0812-3456-7890',
    'Bawa KTP, KK (Kartu Keluarga), akta kelahiran dan ijazah',
    'Paspor dipegang pekerja sendiri',
    'Biaya pembuatan paspor ditanggung perusahaan',
    'Visa kerja resmi dan perjanjian kerja dalam bahasa Indonesia',
    'Bisa umroh saat libur, bonus umroh setelah 2 tahun',
    'Data pribadi Anda dijamin rahasia',
    'Tidak dipungut biaya apapun, tidak melalui calo atau sponsor',
    'Operator produksi pabrik, gaji sesuai UMR, lembur dibayar',
    'Kapal pesiar: waiter dan housekeeping',
    'Perawat di panti jompo (nursing home)',
    'Work and Holiday visa for Australia',
    'We do not charge any placement fee and never ask for a deposit',
  ])('%s', (text) => {
    expect(analyse(text).signs).toEqual([]);
  });
});

describe('pay far above the usual range', () => {
  it('compares an offer with the sourced pay for the job and the country', () => {
    expect(ids('Lowongan ART Hong Kong, gaji HK$ 5.200')).toEqual([]);
    expect(ids('Lowongan ART Hong Kong, gaji HK$ 15.000')).toEqual(['pay_too_high']);
    expect(ids('Caregiver Taiwan gaji NT$ 20.000')).toEqual([]);
    expect(ids('Caregiver Taiwan gaji 25 juta')).toEqual(['pay_too_high']);
    expect(ids('Pabrik Malaysia gaji RM 2.000')).toEqual([]);
    expect(ids('Pabrik Malaysia gaji RM 5.000')).toEqual(['pay_too_high']);
  });

  it('makes no comparison where no pay could be sourced', () => {
    expect(ids('Pabrik di Korea gaji 80 juta')).toEqual([]);
  });

  it('knows the scam-compound bait pay for online jobs when no other country is named', () => {
    expect(ids('Admin online gaji 18jt')).toEqual(['pay_too_high']);
    expect(ids('Customer service, salary USD 1,200')).toEqual(['pay_too_high']);
    expect(ids('Admin online gaji 5jt')).toEqual([]);
  });
});

describe('the ad data', () => {
  it('gives only answers the check can give', () => {
    expect(checkAdAnswers(model, content.flows)).toEqual([]);
  });

  it('reports bad data with the file and the place', () => {
    const patterns = readFileSync(join(FLOWS_DIR, 'ad-patterns.yaml'), 'utf8');
    const salary = readFileSync(join(FLOWS_DIR, 'salary-ranges.yaml'), 'utf8');
    const broken = patterns.replace('sign: scam_hub_offer', 'sign: no_such_sign').replace('phrases: [lpk,', 'phrases: ["..", lpk,');
    try {
      buildAdModel(broken, salary, content.catalogue);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AdModelError);
      const messages = (err as AdModelError).issues.map((i) => `${i.file} ${i.message}`);
      expect(messages).toEqual(
        expect.arrayContaining([expect.stringContaining('no sign "no_such_sign"'), expect.stringContaining('".." must stand between words')]),
      );
    }
    expect(() => buildAdModel(patterns, 'far_above: [', content.catalogue)).toThrow(AdModelError);
  });
});
