/** Amounts of money in ads (src/risk/money.ts), read with the real vocabulary of flows/ad-patterns.yaml. */
import { describe, expect, it } from 'vitest';
import { loadAdModel } from '../../src/content/adModel.js';
import { analyseAd } from '../../src/risk/adAnalyser.js';
import { parseNumber } from '../../src/risk/money.js';
import { FLOWS_DIR } from '../support/content.js';

const model = loadAdModel(FLOWS_DIR);
const analyse = (text: string) => analyseAd(model, text);

describe('amounts', () => {
  it.each([
    ['Gaji Rp 15.000.000', [[15_000_000, 'IDR', 'pay', 'Rp 15.000.000']]],
    ['gj 15jt', [[15_000_000, 'IDR', 'pay', '15jt']]],
    ['salary 15 juta', [[15_000_000, 'IDR', 'pay', '15 juta']]],
    ['Gaji USD 1,000', [[1000, 'USD', 'pay', 'USD 1,000']]],
    ['gaji 1000$', [[1000, 'USD', 'pay', '1000$']]],
    ['Gaji RM 3.000', [[3000, 'MYR', 'pay', 'RM 3.000']]],
    ['Gaji NT$ 30.000', [[30_000, 'TWD', 'pay', 'NT$ 30.000']]],
    ['Gaji 1500 real', [[1500, 'SAR', 'pay', '1500 real']]],
    ['gaji 1,5jt', [[1_500_000, 'IDR', 'pay', '1,5jt']]],
    ['biaya Rp. 25.000.000,-', [[25_000_000, 'IDR', 'fee', 'Rp. 25.000.000']]],
    ['Gaji 15 - 20 juta', [[15_000_000, 'IDR', 'pay', '15 - 20 juta'], [20_000_000, 'IDR', 'pay', '15 - 20 juta']]],
    ['potong gaji 2jt', [[2_000_000, 'IDR', 'fee', '2jt']]],
    ['HP 0812-3456-7890, usia 18-35, 3 hari', []],
  ])('%s', (text, expected) => {
    expect(analyse(text).amounts.map((x) => [x.value, x.currency, x.kind, x.evidence])).toEqual(expected);
  });

  it('knows pay per hour or day is not monthly pay', () => {
    expect(analyse('Gaji USD 10 per jam').amounts[0]?.monthly).toBe(false);
    expect(analyse('Gaji 500rb/hari').amounts[0]?.monthly).toBe(false);
    expect(analyse('Gaji 15jt/bulan').amounts[0]?.monthly).toBe(true);
  });

  it.each([
    ['15.000.000', 15_000_000],
    ['1,000', 1000],
    ['1.5', 1.5],
    ['2,5', 2.5],
    ['1,000.50', 1000.5],
    ['15.000.000,00', 15_000_000],
    ['3000', 3000],
  ])('parses %s', (raw, value) => expect(parseNumber(raw)).toBe(value));
});
