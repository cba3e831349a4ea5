import { describe, expect, it } from 'vitest';
import { matchOption, yesNo, type MatchOption } from '../../src/engine/match.js';
import { fold } from '../../src/common/normalize.js';
import { realContent } from '../support/content.js';
import { prepareWords } from '../../src/engine/match.js';

// The word lists the bot really uses.
const words = prepareWords(realContent().commands.answers);

const yesNoOptions: MatchOption[] = [
  { id: 'yes', labels: ['Ya', 'Yes'] },
  { id: 'no', labels: ['Tidak', 'No'] },
  { id: 'unknown', labels: ['Tidak tahu', "I don't know"] },
];

const destinations: MatchOption[] = [
  { id: 'malaysia_singapore', labels: ['Malaysia/Singapura', 'Malaysia/Singapore'] },
  { id: 'middle_east', labels: ['Timur Tengah', 'Middle East'] },
  { id: 'mekong', labels: ['Kamboja/Myanmar/Laos/dll', 'Cambodia/Myanmar/Laos…'] },
  { id: 'other', labels: ['Negara lain', 'Another country'] },
  { id: 'unknown', labels: ['Tidak tahu', "I don't know"] },
];

const fee: MatchOption[] = [
  { id: 'none_or_written', labels: ['Tidak/biaya tertulis', 'No/costs in writing'], means: 'no' },
  { id: 'upfront', labels: ['Ya, biaya besar di muka', 'Yes, a big fee upfront'] },
  { id: 'unknown', labels: ['Tidak tahu', "I don't know"] },
];

const jobs: MatchOption[] = [
  { id: 'check', labels: ['Cek tawaran kerja', 'Check a job offer'] },
  { id: 'domestic', labels: ['Rumah tangga/pengasuh', 'Household/carer'], aliases: ['pembantu', 'pembantu rumah tangga', 'art'] },
  { id: 'plantation', labels: ['Perkebunan', 'Plantation'], aliases: ['kebun', 'sawit', 'kebun sawit'] },
  { id: 'factory', labels: ['Pabrik/bangunan', 'Factory/construction'], aliases: ['pabrik', 'mesin'] },
];

const safeNow: MatchOption[] = [
  { id: 'yes', labels: ['Ya', 'Yes'], aliases: ['aman', 'safe'] },
  { id: 'no', labels: ['Tidak', 'No'] },
  { id: 'unknown', labels: ['Tidak tahu', "I don't know"] },
];

const recruiters: MatchOption[] = [
  { id: 'individual', labels: ['Perorangan/sponsor/calo', 'A person/sponsor/calo'], aliases: ['calo', 'sponsor'] },
  { id: 'lpk', labels: ['LPK/tempat pelatihan', 'An LPK/training centre'], aliases: ['lpk'] },
];

describe('yes / no / unknown words', () => {
  it.each([
    ['ya', 'yes'],
    ['Iya', 'yes'],
    ['y', 'yes'],
    ['YES!!', 'yes'],
    ['betul', 'yes'],
    ['benar', 'yes'],
    ['sudah', 'yes'],
    ['iya kak', 'yes'],
    ['ya betul', 'yes'],
    ['yes please', 'yes'],
    ['udah 👍', 'yes'],
    ['tidak', 'no'],
    ['tdk', 'no'],
    ['gak', 'no'],
    ['ga', 'no'],
    ['nggak', 'no'],
    ['enggak', 'no'],
    ['belum', 'no'],
    ['no', 'no'],
    ['tidak ada', 'no'],
    ['belum pernah', 'no'],
    ['saya tidak', 'no'],
    ['No.', 'no'],
    ['tidak tahu', 'unknown'],
    ['gak tau', 'unknown'],
    ['saya tidak tahu', 'unknown'],
    ["I don't know", 'unknown'],
    ['not sure', 'unknown'],
    // "aman" is no yes word in general: "aman" to "were you asked to pay?" means nothing.
    ['aman', undefined],
    ['tidak usah', 'no'],
    ['gak perlu', 'no'],
    ['ya tidak', undefined],
    ['mungkin', undefined],
    ['berapa gajinya?', undefined],
    ['', undefined],
  ])('%j → %s', (input, expected) => {
    expect(yesNo(fold(input), words)).toBe(expected);
  });
});

describe('matching an answer to the options offered', () => {
  it.each([
    // The option number.
    [destinations, '1', 'malaysia_singapore'],
    [destinations, ' 2. ', 'middle_east'],
    [destinations, '5', 'unknown'],
    [destinations, '6', undefined],
    [destinations, '0', undefined],
    // The label, in either language, ignoring case, spaces and punctuation.
    [destinations, 'timur tengah', 'middle_east'],
    [destinations, 'TIMUR  TENGAH!!', 'middle_east'],
    [destinations, 'Middle-East', 'middle_east'],
    [destinations, 'negara lain', 'other'],
    // A part of one label.
    [destinations, 'malaysia', 'malaysia_singapore'],
    [destinations, 'Kamboja', 'mekong'],
    [destinations, 'myanmar', 'mekong'],
    // Too short or in several labels: not a match.
    [destinations, 'la', undefined],
    [destinations, 'tidak tahu', 'unknown'],
    [destinations, 'saya tidak tahu', 'unknown'],
    // Yes / no for yes/no questions.
    [yesNoOptions, 'iya', 'yes'],
    [yesNoOptions, 'gak', 'no'],
    [yesNoOptions, 'tdk tau', 'unknown'],
    [yesNoOptions, '2', 'no'],
    // An option that stands for "no".
    [fee, 'tidak', 'none_or_written'],
    [fee, 'belum', 'none_or_written'],
    [fee, 'tidak tahu', 'unknown'],
    [fee, 'ya', undefined],
    // A label or an alias inside a sentence; the longest phrase found decides.
    [jobs, 'tolong cek tawaran kerja saya', 'check'],
    [jobs, 'pembantu rumah tangga di hongkong', 'domestic'],
    [jobs, 'kerja di kebun sawit', 'plantation'],
    [jobs, 'pabrik elektronik', 'factory'],
    // Two options named equally strongly: ask again rather than guess.
    [jobs, 'kebun atau mesin', undefined],
    // Words that mean yes only for one question ("are you safe?").
    [safeNow, 'aman', 'yes'],
    [safeNow, 'saya aman', 'yes'],
    [safeNow, 'tidak aman', 'no'],
    [safeNow, 'not safe', 'no'],
    [safeNow, 'tidak tahu', 'unknown'],
    // A label or alias right after a no-word is not named: "bukan calo" is not the calo.
    [recruiters, 'calo', 'individual'],
    [recruiters, 'bukan calo', undefined],
    [recruiters, 'bukan calo, tapi lpk', 'lpk'],
    // Free text that is no answer at all.
    [destinations, 'halo apa kabar', undefined],
    [destinations, '🙏🙏', undefined],
  ])('%#: %j', (options, input, expected) => {
    expect(matchOption(input as string, options as MatchOption[], words)).toBe(expected);
  });
});
