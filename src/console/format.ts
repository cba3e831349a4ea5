/**
 * Words and times as staff read them on the console. The same descriptions serve the page and
 * the live timeline's JSON, so an entry looks the same whether it was there at load or arrived.
 */
import type { Case, CaseReason, Outcome, TimelineEntry } from '../handoff/case.js';

export const PRIORITY_LABEL: Record<Case['priority'], string> = { urgent: 'Urgent', high: 'High', normal: 'Normal' };
export const REASON_LABEL: Record<CaseReason, string> = {
  high_risk: 'High-risk job offer',
  asked_for_person: 'Asked for a person',
  abroad: 'Already abroad, not safe',
  report: 'Family report',
  emergency: 'Emergency',
};
export const OUTCOME_LABEL: Record<Outcome, string> = {
  referred: 'Referred (to KBRI, BP3MI, police, a shelter…)',
  resolved: 'Resolved',
  no_response: 'No response from the person',
  duplicate: 'Duplicate of another case',
  spam: 'Spam or a test',
  erased: 'The person erased their data',
};
export const CHANNEL_LABEL: Record<string, string> = { whatsapp: 'WhatsApp', telegram: 'Telegram', web: 'Web chat' };

/** A duration as "45 s", "14 min", "2 h 5 min" or "3 d 4 h". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return `${Math.floor(Math.max(0, ms) / 1000)} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A time as "2 Mar, 10:03" in the hotline's time zone. */
export function formatTime(at: number, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f.format(at);
}

/** A timeline entry as the console shows it: who, what they did, and the text if it is a message. */
export interface EntryView {
  n: number;
  /** ISO time, for `<time datetime>`. */
  at: string;
  time: string;
  kind: 'person' | 'staff' | 'bot';
  who: string;
  what: string;
  text?: string;
  /** Something staff must notice (a reply that did not arrive, an overdue reminder). */
  alert?: boolean;
}

const WHAT: Record<TimelineEntry['type'], string> = {
  opened: 'opened the case',
  message: 'wrote',
  claimed: 'claimed the case',
  closed: 'closed the case',
  muted: 'muted the bot (the person talks to staff only)',
  unmuted: 'unmuted the bot (the bot answers again)',
  escalated: 'asked for help again',
  reminder: 'reminded: nobody has claimed this case',
  delivery_failed: 'could not deliver a message',
  person_left: 'left the conversation (selesai)',
  person_returned: 'came back',
  erased: 'erased their data; the case keeps no content',
};

/** Describes one timeline entry. */
export function describeEntry(e: TimelineEntry, timeZone: string): EntryView {
  const who = e.by.kind === 'person' ? 'Person' : e.by.kind === 'bot' ? 'Waspada' : `${e.by.name} (${e.by.via})`;
  let what = WHAT[e.type] ?? e.type;
  let text = e.text;
  // For actions the text is a detail (the outcome, the reason), not words someone wrote.
  if (e.type === 'closed' && text) {
    what = `closed the case: ${OUTCOME_LABEL[text as Outcome] ?? text}`;
    text = undefined;
  } else if (e.type === 'opened' && text) {
    what = `opened the case: ${REASON_LABEL[text as CaseReason] ?? text}`;
    text = undefined;
  } else if (e.type !== 'message' && text) {
    what = `${what} (${text})`;
    text = undefined;
  }
  return {
    n: e.n,
    at: new Date(e.at).toISOString(),
    time: formatTime(e.at, timeZone),
    kind: e.by.kind,
    who,
    what,
    ...(text !== undefined ? { text } : {}),
    ...(e.type === 'delivery_failed' || e.type === 'reminder' ? { alert: true } : {}),
  };
}
