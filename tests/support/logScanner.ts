/**
 * Finds a test's personal data and secrets in captured log lines. Each line is searched as
 * written and as decoded (the JSON's strings, so that an escaped quote or line break in a message
 * text does not hide it). Phone numbers are found in any format: every run of digits with the
 * separators people write (`+62 813-1122-4455`, `0813 1122 4455`, `(0813) 11224455`) is reduced
 * to its digits and searched for the number's national part.
 */

/** One thing that must never be logged. */
export type Needle =
  /** Anywhere, any case: a token, a secret, a session id, a whole message. */
  | { label: string; kind: 'text'; value: string }
  /** As a whole word, any case: a name, a distinctive word of a message. */
  | { label: string; kind: 'word'; value: string }
  /** A number in any format: the digits to look for (a phone's national part, a chat id). */
  | { label: string; kind: 'digits'; value: string };

/** A needle found in a line. */
export interface Leak {
  label: string;
  line: string;
}

const DIGIT_RUN = /\+?\(?\d[\d\s().-]{4,}\d/g;

/** Every string inside a JSON value (keys too, numbers as text), appended to `out`. */
export function stringsOf(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      stringsOf(v, out);
    }
  } else if (typeof value === 'number') out.push(String(value));
}

/** The line as written and its decoded strings, one text to search. */
function searchable(line: string): string {
  const parts = [line];
  try {
    stringsOf(JSON.parse(line), parts);
  } catch {
    // Not JSON: the line as written is searched.
  }
  return parts.join('\n');
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a needle is in a text. */
export function contains(text: string, needle: Needle): boolean {
  switch (needle.kind) {
    case 'text':
      return text.toLowerCase().includes(needle.value.toLowerCase());
    case 'word':
      return new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(needle.value)}(?![\\p{L}\\p{N}_])`, 'iu').test(text);
    case 'digits':
      return (text.match(DIGIT_RUN) ?? []).some((run) => run.replace(/\D/g, '').includes(needle.value));
  }
}

/** Every needle found in every line. */
export function findLeaks(lines: readonly string[], needles: readonly Needle[]): Leak[] {
  const leaks: Leak[] = [];
  for (const line of lines) {
    const text = searchable(line);
    for (const needle of needles) if (contains(text, needle)) leaks.push({ label: needle.label, line: line.trim() });
  }
  return leaks;
}

/**
 * The needles of an Indonesian phone number: its national part (without 0 or +62) in any format,
 * e.g. `6281311224455`, `+62 813-1122-4455` and `0813 1122 4455` all contain `81311224455`.
 */
export function phoneNeedle(label: string, phone: string): Needle {
  const digits = phone.replace(/\D/g, '');
  const national = digits.startsWith('62') ? digits.slice(2) : digits.startsWith('0') ? digits.slice(1) : digits;
  return { label, kind: 'digits', value: national };
}

/** The distinctive words of a message (six letters or more, not in `common`), as word needles. */
export function wordNeedles(label: string, text: string, common: ReadonlySet<string>): Needle[] {
  const words = new Set((text.match(/[\p{L}][\p{L}'-]{5,}/gu) ?? []).map((w) => w.toLowerCase()).filter((w) => !common.has(w)));
  return [...words].map((value) => ({ label: `${label} (word "${value}")`, kind: 'word' as const, value }));
}
