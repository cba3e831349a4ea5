/**
 * Turns an assessment and hotline entries into messages. The wording lives in `locales/`;
 * this file only decides the order and the grouping.
 */
import { K } from './keys.js';
import type { Translator } from '../i18n/translator.js';
import type { Assessment } from '../risk/assess.js';
import type { Contact } from './contacts.js';
import type { OutgoingMessage } from './types.js';

/** The result of a check: the level, then each sign with why it matters and the safe way, then what to find out. */
export function renderAssessment(t: Translator, lang: string, a: Assessment): OutgoingMessage[] {
  const parts = [t.t(lang, K.resultLevel[a.level], { count: a.signs.length })];
  for (const s of a.signs) {
    parts.push(
      t.t(lang, K.resultSign, {
        severity: s.severity,
        title: t.t(lang, s.title),
        why: t.t(lang, s.why),
        safe: t.t(lang, s.safe),
      }),
    );
  }
  const out: OutgoingMessage[] = [{ text: parts.join('\n\n') }];
  if (a.open.length > 0) {
    const items = a.open.map((q) => t.t(lang, K.resultOpenItem, { text: t.t(lang, q.text) }));
    out.push({ text: [t.t(lang, K.resultOpenIntro), ...items].join('\n') });
  }
  return out;
}

/** A heading and the hotline entries under it, each with the month it was last verified. */
export function renderContacts(t: Translator, lang: string, headingKey: string, contacts: readonly Contact[]): OutgoingMessage {
  const entries = contacts.map((c) =>
    t.t(lang, K.contactEntry, {
      name: t.t(lang, c.name),
      purpose: t.t(lang, c.purpose),
      hours: t.t(lang, c.hours),
      numbers: c.numbers.map((n) => t.t(lang, K.contactNumber, { label: t.t(lang, n.label), value: n.value })).join('\n'),
      verified: formatMonth(c.verified, lang),
      recheck: c.recheck ? 'yes' : 'no',
    }),
  );
  return { text: [t.t(lang, headingKey), ...entries].join('\n\n') };
}

/** Month formatters per language; creating one costs far more than a whole engine step. */
const monthFormats = new Map<string, Intl.DateTimeFormat>();

/** `2025-04` → "April 2025" in the person's language; a bare year stays as it is. */
function formatMonth(verified: string, lang: string): string {
  const [y, m] = verified.split('-').map(Number);
  if (m === undefined || y === undefined) return verified;
  let format = monthFormats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' });
    monthFormats.set(lang, format);
  }
  return format.format(new Date(Date.UTC(y, m - 1, 1)));
}
