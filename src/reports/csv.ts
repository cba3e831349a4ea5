/**
 * A small, tolerant CSV reader for files that people export from spreadsheets: quoted fields with
 * commas, line breaks and doubled quotes inside, CRLF / LF / CR line ends, a byte-order mark,
 * white space around fields, and a `;` separator (what Excel writes in the Indonesian locale).
 * Each record keeps the line it starts on, so problems can be reported by line. Pure.
 */

/** One record: its fields as written (unquoted, trimmed) and the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
  /** A quoted field was still open at the end of the text; the record ran to the end. */
  unterminated?: true;
}

const BOM = '\uFEFF';

/** How to read a file: its separator (found from the first line when not given) and comment mark. */
export interface CsvOptions {
  separator?: ',' | ';';
  /** Records whose first field starts with this are comments and left out (e.g. `#`). */
  comment?: string;
}

/**
 * The separator of a file: `;` when the first line that is neither blank nor a comment has more
 * semicolons than commas (a header line holds no quoted commas), else `,`.
 */
export function detectSeparator(text: string, comment?: string): ',' | ';' {
  const isContent = (line: string) => line.trim() !== '' && (comment === undefined || !line.trimStart().startsWith(comment));
  const first = text.replace(BOM, '').split(/\r\n|\r|\n/).find(isContent) ?? '';
  const count = (c: string) => first.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/** Reads every record of a CSV text; never throws. Blank lines and comments give no record. */
export function readCsv(text: string, options: CsvOptions = {}): CsvRecord[] {
  const separator = options.separator ?? detectSeparator(text, options.comment);
  const src = text.startsWith(BOM) ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const start = line;
    const fields: string[] = [];
    let unterminated = false;
    // One record: fields until an unquoted line end or the end of the text.
    for (;;) {
      let value = '';
      while (src[i] === ' ' || src[i] === '\t') i++;
      if (src[i] === '"') {
        i++;
        for (;;) {
          if (i >= src.length) {
            unterminated = true;
            break;
          }
          const c = src[i]!;
          if (c === '"') {
            if (src[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\r' || c === '\n') {
            line++;
            // A CRLF inside quotes is one line end, kept as \n.
            i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
            value += '\n';
            continue;
          }
          value += c;
          i++;
        }
      }
      // Unquoted text, or what follows a closing quote (kept, rather than lost, when it is not blank).
      while (i < src.length && src[i] !== separator && src[i] !== '\r' && src[i] !== '\n') {
        value += src[i];
        i++;
      }
      fields.push(value.trim());
      if (src[i] === separator) {
        i++;
        continue;
      }
      break;
    }
    if (src[i] === '\r') i += src[i + 1] === '\n' ? 2 : 1;
    else if (src[i] === '\n') i++;
    line++;
    if (fields.every((f) => f === '') && !unterminated) continue;
    if (options.comment !== undefined && fields[0]!.startsWith(options.comment)) continue;
    records.push(unterminated ? { line: start, fields, unterminated: true } : { line: start, fields });
  }
  return records;
}
