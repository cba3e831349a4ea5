import { describe, expect, it } from 'vitest';
import { detectSeparator, readCsv } from '../../src/reports/csv.js';

const rows = (text: string, comment?: string) => readCsv(text, comment === undefined ? {} : { comment }).map((r) => [r.line, r.fields]);

describe('readCsv', () => {
  it('reads plain records with their line numbers', () => {
    expect(rows('a,b,c\n1,2,3\n')).toEqual([
      [1, ['a', 'b', 'c']],
      [2, ['1', '2', '3']],
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, counting lines inside them', () => {
    const text = 'name,note\n"PT Maju, Jaya","say ""hi"""\n"two\nlines",x\nlast,row';
    expect(rows(text)).toEqual([
      [1, ['name', 'note']],
      [2, ['PT Maju, Jaya', 'say "hi"']],
      [3, ['two\nlines', 'x']],
      [5, ['last', 'row']],
    ]);
  });

  it('takes CRLF, CR and LF line ends alike, and CRLF inside quotes as one line break', () => {
    expect(rows('a,b\r\n1,2\r\n')).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
    ]);
    expect(rows('a,b\r1,2')).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
    ]);
    expect(rows('"x\r\ny",z\r\nnext,1')).toEqual([
      [1, ['x\ny', 'z']],
      [3, ['next', '1']],
    ]);
  });

  it('drops a byte-order mark and trims white space around fields, quoted or not', () => {
    expect(rows('\uFEFFname , licence\n  PT A  ,  "  B, C " \t\n')).toEqual([
      [1, ['name', 'licence']],
      [2, ['PT A', 'B, C']],
    ]);
  });

  it('skips blank lines but keeps counting them', () => {
    expect(rows('a,b\n\n   \n1,2\n\n')).toEqual([
      [1, ['a', 'b']],
      [4, ['1', '2']],
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(rows('a,,c,\n')).toEqual([[1, ['a', '', 'c', '']]]);
  });

  it('keeps text after a closing quote instead of losing it', () => {
    expect(rows('"PT A" Jaya,b')).toEqual([[1, ['PT A Jaya', 'b']]]);
  });

  it('marks a record whose quote never closes', () => {
    const records = readCsv('a,b\n"open,2\n3,4\n');
    expect(records[1]).toEqual({ line: 2, fields: ['open,2\n3,4'], unterminated: true });
  });

  it('leaves out comment records when asked', () => {
    expect(rows('# example only, made up\na,b\n#another\n1,2', '#')).toEqual([
      [2, ['a', 'b']],
      [4, ['1', '2']],
    ]);
    expect(rows('#x,y\n')).toEqual([[1, ['#x', 'y']]]);
  });

  it('reads semicolon files as Excel writes them in the Indonesian locale', () => {
    expect(detectSeparator('name;licence_number;valid_until;province\r\n')).toBe(';');
    expect(detectSeparator('name,licence_number\n')).toBe(',');
    expect(detectSeparator('# note; with a semicolon\nname,licence', '#')).toBe(',');
    expect(rows('name;licence\n"PT A; B";1\n')).toEqual([
      [1, ['name', 'licence']],
      [2, ['PT A; B', '1']],
    ]);
  });

  it('reads nothing from nothing', () => {
    expect(readCsv('')).toEqual([]);
    expect(readCsv('\n\r\n')).toEqual([]);
  });
});
