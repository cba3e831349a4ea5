/**
 * Reports as staff hand them to the authorities: CSV (RFC 4180, for a spreadsheet) or JSON. An
 * export holds what was reported and what staff decided about it (the status), never who
 * reported: no pseudonym, and no contact details of the reporter (only whether they agreed to
 * be contacted; the hotline puts the authorities in touch). Pure.
 */
import type { ReportContent } from '../engine/types.js';

/** The part of a stored report an export reads (src/reports/reportStore.ts `Report`). */
export interface ExportableReport {
  id: string;
  at: number;
  keys: readonly string[];
  lang: string;
  content: ReportContent;
  status: string;
  marks: ReadonlyArray<{ at: number }>;
}

/** One report in an export. */
export interface ExportedReport {
  id: string;
  filedAt: string;
  status: string;
  /** When staff last changed the status, if they did. */
  statusChangedAt?: string;
  lang: string;
  /** The normalised identifiers the report is counted by (`phone:+62…`, `company:…`). */
  recruiterKeys: string[];
  recruiter: ReportContent['recruiter'];
  recruited: ReportContent['recruited'];
  happened: ReportContent['happened'];
  danger: boolean;
  contactAllowed: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A report as it is exported. */
export function exportedReport(r: ExportableReport): ExportedReport {
  const changed = r.marks.at(-1)?.at;
  const c = r.content;
  return {
    id: r.id,
    filedAt: iso(r.at),
    status: r.status,
    ...(changed !== undefined ? { statusChangedAt: iso(changed) } : {}),
    lang: r.lang,
    recruiterKeys: [...r.keys],
    recruiter: { ...c.recruiter },
    recruited: { ...c.recruited },
    happened: { ...c.happened },
    danger: c.danger,
    contactAllowed: c.contact.allowed,
  };
}

/** The JSON export: when, how many, and the reports oldest first. */
export function reportsJson(reports: readonly ExportableReport[], now: number): string {
  return `${JSON.stringify({ exportedAt: iso(now), count: reports.length, reports: reports.map(exportedReport) }, null, 2)}\n`;
}

/** The CSV columns, in order, with how each is read from an exported report. */
const COLUMNS: ReadonlyArray<[string, (r: ExportedReport) => string | undefined]> = [
  ['report_id', (r) => r.id],
  ['filed_at', (r) => r.filedAt],
  ['status', (r) => r.status],
  ['status_changed_at', (r) => r.statusChangedAt],
  ['language', (r) => r.lang],
  ['recruiter_keys', (r) => r.recruiterKeys.join(' ')],
  ['recruiter_name', (r) => r.recruiter.name],
  ['recruiter_company', (r) => r.recruiter.company],
  ['recruiter_phone', (r) => r.recruiter.phone],
  ['recruiter_social', (r) => r.recruiter.social],
  ['recruiter_place', (r) => r.recruiter.place],
  ['recruited_relation', (r) => r.recruited.relation],
  ['recruited_destination', (r) => r.recruited.destination],
  ['recruited_job', (r) => r.recruited.job],
  ['warning_sign', (r) => r.happened.sign],
  ['what_happened', (r) => r.happened.text],
  ['in_danger', (r) => (r.danger ? 'yes' : 'no')],
  ['contact_allowed', (r) => (r.contactAllowed ? 'yes' : 'no')],
];

/**
 * One CSV field. Quoted when it holds a separator, a quote or a line break (quotes doubled).
 * Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or CR first) gets a
 * leading `'`, since reporters' words end up in the authorities' spreadsheets; a phone number
 * (`+62 812-…`) is left as it is: digits and punctuation cannot call anything.
 */
export function csvField(value: string | undefined): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text) && !/^[+-]?[\d\s().-]+$/.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV export: a header line, one line per report, CRLF line ends, with a byte-order mark so Excel reads UTF-8. */
export function reportsCsv(reports: readonly ExportableReport[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const r of reports.map(exportedReport)) lines.push(COLUMNS.map(([, read]) => csvField(read(r))).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
