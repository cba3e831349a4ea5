import { describe, expect, it } from 'vitest';
import {
  COMPANY_FORMS,
  companyKey,
  companyWords,
  hasCompanyForm,
  normaliseHandle,
  normalisePhone,
  personKey,
  recruiterKeys,
  type CountryCode,
} from '../../src/reports/recruiter.js';

const BUDI = '+6281234567890';

describe('phone numbers to E.164', () => {
  it.each<[string, string]>([
    ['0812-3456-7890', BUDI],
    ['0812 3456 7890', BUDI],
    ['0812.3456.7890', BUDI],
    ['(0812) 3456 7890', BUDI],
    ['+62 812 3456 7890', BUDI],
    ['+62812 3456 7890', BUDI],
    ['+62 (0) 812-3456-7890', BUDI],
    ['62812 3456 7890', BUDI],
    ['62-812-3456-7890', BUDI],
    ['6281234567890', BUDI],
    ['812 3456 7890', BUDI],
    ['0062 812 3456 7890', BUDI],
    ['tel:+62-812-3456-7890', BUDI],
    ['０８１２－３４５６－７８９０', BUDI],
    ['٠٨١٢٣٤٥٦٧٨٩٠', BUDI],
    ['Hubungi 0812-3456-7890 ya', BUDI],
    ['0812 3456 7890 ext 12', BUDI],
    ['0811-8080-141', '+628118080141'],
    ['(021) 2924-4800', '+622129244800'],
    ['+62 21 2924 4800', '+622129244800'],
    ['0274 123456', '+62274123456'],
  ])('Indonesian %j → %s', (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });

  it.each<[string, string]>([
    ['+60 12-345 6789', '+60123456789'],
    ['0060 12 345 6789', '+60123456789'],
    ['001 60 12 345 6789', '+60123456789'],
    ['60 12-345 6789', '+60123456789'],
    ['+60 3-2123 4567', '+60321234567'],
    ['+966 50 123 4567', '+966501234567'],
    ['00966 50 123 4567', '+966501234567'],
    ['966 50 123 4567', '+966501234567'],
    ['+966 11 234 5678', '+966112345678'],
    ['+886 912 345 678', '+886912345678'],
    ['+852 9123 4567', '+85291234567'],
    ['+65 8123 4567', '+6581234567'],
    ['+82 10-1234-5678', '+821012345678'],
    ['+81 90-1234-5678', '+819012345678'],
    ['+971 50 123 4567', '+971501234567'],
    ['+974 3312 3456', '+97433123456'],
    ['+673 712 3456', '+6737123456'],
    ['+855 12 345 678', '+85512345678'],
    ['+66 81 234 5678', '+66812345678'],
    ['+63 917 123 4567', '+639171234567'],
    ['+84 91 234 56 78', '+84912345678'],
    ['+90 532 123 45 67', '+905321234567'],
  ])('foreign %j stays in its country: %s', (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });

  it.each<[string, CountryCode, string]>([
    ['012-345 6789', 'MY', '+60123456789'],
    ['03-2123 4567', 'MY', '+60321234567'],
    ['050 123 4567', 'SA', '+966501234567'],
    ['0912-345-678', 'TW', '+886912345678'],
    ['+62 812 3456 7890', 'MY', BUDI],
  ])('%j read in %s → %s', (input, country, expected) => {
    expect(normalisePhone(input, country)).toBe(expected);
  });

  it.each<[string, string]>([
    ['wa.me/6281234567890', BUDI],
    ['https://wa.me/6281234567890?text=Halo', BUDI],
    ['https://wa.me/+6281234567890', BUDI],
    ['http://wa.me/081234567890', BUDI],
    ['https://api.whatsapp.com/send?phone=6281234567890&text=hi', BUDI],
    ['https://web.whatsapp.com/send?phone=6281234567890', BUDI],
    ['whatsapp://send?phone=%2B6281234567890', BUDI],
    ['https://wa.me/60123456789', '+60123456789'],
    ['t.me/+6281234567890', BUDI],
  ])('link %j → %s', (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'abc',
    'tidak tahu',
    '-',
    '12345',
    '0812',
    '08123',
    '+62 812',
    '+62 812 3456',
    '+6281234567890123',
    '000000000000',
    '0800-1000',
    '110',
    '+999 123 456 789',
    'Rp 15.000.000',
    'instagram.com/budi',
    'https://wa.me/',
    'https://wa.link/abc123',
    'https://chat.whatsapp.com/AbCdEf123',
    't.me/+AbCdEf123',
  ])('%j is not a phone number', (input) => {
    expect(normalisePhone(input)).toBeUndefined();
  });
});

describe('social handles', () => {
  it.each<[string, string]>([
    ['@Budi_Kerja', 'budi_kerja'],
    ['budi_kerja', 'budi_kerja'],
    ['  @BUDI.KERJA  ', 'budi.kerja'],
    ['IG: @budi.kerja.', 'budi.kerja'],
    ['ig @budi_kerja', 'budi_kerja'],
    ['instagram.com/budi_kerja', 'budi_kerja'],
    ['https://www.instagram.com/Budi_Kerja/?hl=id', 'budi_kerja'],
    ['https://instagram.com/stories/budi_kerja/123', 'budi_kerja'],
    ['facebook.com/budi.kerja', 'budi.kerja'],
    ['https://m.facebook.com/Budi.Kerja', 'budi.kerja'],
    ['https://web.facebook.com/profile.php?id=100012345678', '100012345678'],
    ['https://www.facebook.com/people/Budi-Kerja/100012345678/', '100012345678'],
    ['tiktok.com/@Budi_Kerja', 'budi_kerja'],
    ['https://www.tiktok.com/@budi_kerja/video/7301234567890', 'budi_kerja'],
    ['t.me/BudiKerja', 'budikerja'],
    ['https://telegram.me/budikerja', 'budikerja'],
    ['https://t.me/s/budikerja', 'budikerja'],
    ['x.com/budikerja', 'budikerja'],
    ['https://twitter.com/BudiKerja/status/1', 'budikerja'],
    ['youtube.com/@Budi-Kerja', 'budi-kerja'],
    ['https://www.threads.net/@budi_kerja', 'budi_kerja'],
    ['@búdí', 'budi'],
  ])('%j → %s', (input, expected) => {
    expect(normaliseHandle(input)).toBe(expected);
  });

  it.each([
    '',
    '@',
    'budi kerja',
    'budi@gmail.com',
    'instagram.com/p/Cx1abc',
    'instagram.com/reel/Cx1abc',
    'facebook.com/groups/lowongan.kerja.taiwan',
    'https://www.facebook.com/share/abc123',
    'tiktok.com/budi',
    'https://vm.tiktok.com/ZMabc123/',
    't.me/joinchat/AbCdEf',
    't.me/+AbCdEf123',
    'https://example.com/budi',
    '...',
  ])('%j is no handle', (input) => {
    expect(normaliseHandle(input)).toBeUndefined();
  });
});

describe('company names', () => {
  const sameCompany: [string, string][] = [
    ['PT. Maju Jaya Abadi', 'Maju Jaya Abadi, PT'],
    ['PT Maju Jaya Abadi', 'MAJU JAYA ABADI'],
    ['P.T. Maju Jaya Abadi', 'maju jaya abadi'],
    ['PT Maju Jaya Abadi Tbk', 'Maju-Jaya-Abadi'],
    ['PT Maju Jaya Abadi (Persero) Tbk', 'maju  jaya   abadi'],
    ['CV Maju Jaya Abadi', 'C.V. Maju Jaya Abadi'],
    ['LPK Maju Jaya Abadi', 'PT Maju Jaya Abadi'],
    ['UD Maju Jaya Abadi', 'Maju Jaya Abadi'],
    ['P3MI PT Maju Jaya Abadi', 'PPTKIS Maju Jaya Abadi'],
    ['PJTKI Maju Jaya Abadi', 'maju jaya abadi'],
    ['Maju Jaya Abadi Sdn. Bhd.', 'Maju Jaya Abadi Sdn Bhd'],
    ['Maju Jaya Abadi Co., Ltd.', 'Maju Jaya Abadi Limited'],
    ['Maju Jaya Abadi LLC', 'Maju Jaya Abadi Inc.'],
    ['PT Sinarmas Jaya', 'PT Sinar Mas Jaya'],
    ['PT Sejahtéra', 'PT SEJAHTERA'],
  ];
  it.each(sameCompany)('%j = %j, both ways', (a, b) => {
    expect(companyKey(a)).toBeDefined();
    expect(companyKey(a)).toBe(companyKey(b));
    expect(companyKey(b)).toBe(companyKey(a));
  });

  const differentCompanies: [string, string][] = [
    ['PT Maju Jaya', 'PT Maju Raya'],
    ['PT Maju Jaya Abadi', 'PT Maju Jaya'],
    ['Yayasan Al Ikhlas', 'PT Al Ikhlas'],
    ['PT Bina Karya', 'PT Bina Karsa'],
    ['PT Sejahtera', 'CV Sejahtera Abadi'],
  ];
  it.each(differentCompanies)('%j ≠ %j, both ways', (a, b) => {
    expect(companyKey(a)).not.toBe(companyKey(b));
    expect(companyKey(b)).not.toBe(companyKey(a));
  });

  it('drops legal forms only at the ends, never the last word', () => {
    expect(companyWords('PT. Maju Jaya Abadi')).toEqual(['maju', 'jaya', 'abadi']);
    expect(companyWords('Maju PT Jaya')).toEqual(['maju', 'pt', 'jaya']);
    expect(companyWords('PT Ltd')).toEqual([]);
    expect(companyKey('PT')).toBeUndefined();
    expect(companyKey('P.T.')).toBeUndefined();
    expect(companyKey('CV.')).toBeUndefined();
    expect(companyKey('!!!')).toBeUndefined();
  });

  it('gives every legal form a reason', () => {
    for (const { form, why } of COMPANY_FORMS) {
      expect(form).toMatch(/^[a-z0-9]+(?: [a-z0-9]+)*$/);
      expect(why.length).toBeGreaterThan(10);
    }
  });

  it('tells a company written with its legal form from a person', () => {
    expect(hasCompanyForm('PT Maju')).toBe(true);
    expect(hasCompanyForm('Maju Jaya Sdn Bhd')).toBe(true);
    expect(hasCompanyForm('LPK Sakura')).toBe(true);
    expect(hasCompanyForm('Budi Santoso')).toBe(false);
    expect(hasCompanyForm('PT')).toBe(false);
  });
});

describe('person names', () => {
  it.each<[string, string]>([
    ['Pak Budi Santoso', 'budisantoso'],
    ['BUDI SANTOSO', 'budisantoso'],
    ['Bapak Haji Budi Santoso', 'budisantoso'],
    ['H. Budi Santoso', 'budisantoso'],
    ['Bu Siti Aminah', 'sitiaminah'],
    ['Mbak Siti  Aminah', 'sitiaminah'],
    ['Calo Budi Santoso', 'budisantoso'],
    ['Nur Aini', 'nuraini'],
    ['Nuraini Putri', 'nurainiputri'],
  ])('%j → %s', (input, expected) => {
    expect(personKey(input)).toBe(expected);
  });

  it.each(['Joko', 'Pak Joko', 'Bu Siti', '', 'Pak'])('a single name identifies nobody: %j', (input) => {
    expect(personKey(input)).toBeUndefined();
  });
});

describe('recruiterKeys', () => {
  it('gives typed keys, sorted and without repeats', () => {
    const keys = recruiterKeys({
      name: 'Pak Budi Santoso',
      company: 'PT. Maju Jaya Abadi',
      phone: '0812-3456-7890',
      social: ['wa.me/6281234567890', '@Budi_Kerja', 'instagram.com/budi_kerja'],
    });
    expect(keys).toEqual(['company:majujayaabadi', 'name:budisantoso', `phone:${BUDI}`, 'social:budi_kerja']);
  });

  it('matches the same recruiter described differently by two people', () => {
    const first = recruiterKeys({ phone: '+62 812 3456 7890', company: 'Maju Jaya Abadi, PT' });
    const second = recruiterKeys({ phone: '62812-3456-7890', name: 'PT MAJU JAYA ABADI' });
    expect(second).toEqual(first);
  });

  it('reads several numbers in one answer', () => {
    expect(recruiterKeys({ phone: '0812 3456 7890 / +60 12-345 6789' })).toEqual(['phone:+60123456789', `phone:${BUDI}`]);
    expect(recruiterKeys({ phone: '0812-3456-7890 atau 0813-1111-2222' })).toEqual([`phone:${BUDI}`, 'phone:+6281311112222']);
    expect(recruiterKeys({ phone: ['0812-3456-7890', '0812 3456 7890'] })).toEqual([`phone:${BUDI}`]);
    expect(recruiterKeys({ phone: '0812-3456-7890/0813-1111-2222' })).toEqual([`phone:${BUDI}`, 'phone:+6281311112222']);
  });

  it('reads WhatsApp links given as the phone', () => {
    expect(recruiterKeys({ phone: 'https://api.whatsapp.com/send?phone=60123456789' })).toEqual(['phone:+60123456789']);
    expect(recruiterKeys({ phone: 'wa.me/966501234567, 0812-3456-7890' })).toEqual([`phone:${BUDI}`, 'phone:+966501234567']);
  });

  it('takes a number or a WhatsApp link given as the account for the phone', () => {
    expect(recruiterKeys({ social: '0812-3456-7890' })).toEqual([`phone:${BUDI}`]);
    expect(recruiterKeys({ social: 'https://api.whatsapp.com/send?phone=6281234567890' })).toEqual([`phone:${BUDI}`]);
    expect(recruiterKeys({ social: '@budi, tiktok.com/@budi2' })).toEqual(['social:budi', 'social:budi2']);
  });

  it('keeps company names with commas and "dan" whole', () => {
    expect(recruiterKeys({ company: 'Maju dan Jaya, PT' })).toEqual(['company:majudanjaya']);
  });

  it('gives no key for what identifies nobody', () => {
    expect(recruiterKeys({})).toEqual([]);
    expect(recruiterKeys({ name: 'Joko', company: 'PT', phone: '12345', social: 'budi kerja' })).toEqual([]);
    expect(recruiterKeys({ name: '-', company: '?', phone: '', social: '   ' })).toEqual([]);
  });

  it('ignores "don\'t know" answers given as the content\'s phrases', () => {
    const unknownPhrases = ['tidak tahu', 'gak tau', 'dont know'];
    expect(recruiterKeys({ name: 'Tidak tahu namanya', company: 'gak tau', phone: '0812-3456-7890' }, { unknownPhrases })).toEqual([
      `phone:${BUDI}`,
    ]);
    // Without the phrases "tidak tahu" would read as a two-word name.
    expect(recruiterKeys({ name: 'Tidak tahu' })).toEqual(['name:tidaktahu']);
  });

  it('reads numbers without a country in the country it is told', () => {
    expect(recruiterKeys({ phone: '012-345 6789' }, { defaultCountry: 'MY' })).toEqual(['phone:+60123456789']);
  });
});
