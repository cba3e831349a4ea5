/**
 * Where a family report that the engine collected lands: the hotline desk hands it the
 * `report_filed` event of a person, and it is stored under the recruiter's keys so that the
 * next person who meets the same recruiter can be warned. Redelivery is safe: the store is
 * idempotent on the report id. A report that says someone is in danger needs nothing extra here:
 * the engine raised the emergency (an urgent case) at the time the reporter answered.
 */
import { z } from 'zod';
import type { Log } from '../conversation/log.js';
import type { Store } from '../storage/store.js';
import type { KeyLayout, PersonRef } from '../storage/keys.js';
import { recruiterKeys } from './recruiter.js';
import type { ReportStore } from './reportStore.js';

/** Free text is capped at the channels' longest message; names and numbers at less. */
const short = z.string().max(1000).optional();
const long = z.string().max(4096).optional();

/** The `report_filed` event as the outbox carries it (checked: it crossed a process boundary). */
const ReportFiled = z.object({
  type: z.literal('report_filed'),
  reportId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  lang: z.string().min(1).max(16),
  report: z.object({
    recruiter: z.object({ name: short, company: short, phone: short, social: short, place: short }),
    recruited: z.object({ relation: short, destination: short, job: short }),
    happened: z.object({ sign: short, text: long }),
    danger: z.boolean(),
    contact: z.object({ allowed: z.boolean(), how: short }),
  }),
});

/**
 * The pseudonym a reporter's reports are counted by: an HMAC of their channel and id under the
 * store's pseudonym secret (src/storage/pseudonyms.ts), so that the store never holds the address
 * of who reported, and nobody without DATA_KEY can test a known phone number against it.
 */
export function reporterPseudonym(layout: KeyLayout, person: PersonRef): string {
  // The web chat's session ids are chosen by the page and cost nothing: anyone could file as many
  // "different" reporters as they like, and so make the bot warn about a competitor's number.
  // Every web report therefore counts as one and the same reporter; a WhatsApp number or a
  // Telegram account is a real person.
  const who = person.channel === 'web' ? 'web' : `${person.channel}:${person.id}`;
  return layout.pseudonymise('reporter', who);
}

/** Creates the report desk. `unknownPhrases`: the content's folded "don't know" phrases (engine.words.unknown). */

export function createReportDesk(deps: { reports: ReportStore; store: Store; unknownPhrases: readonly string[]; log: Pick<Log, 'info' | 'warn'> }) {
  return {
    /** Deletes every report the person filed: they erased their data. */
    async personErased(person: PersonRef): Promise<void> {
      const key = deps.store.layout.personReports(person);
      await deps.reports.removeReports([...new Set(await deps.store.listRead(key))]);
      await deps.store.delete(key);
    },

    /** Stores the report of a `report_filed` event of `person`, filed at `at` (ms). */
    async reportFiled(person: PersonRef, event: unknown, at: number): Promise<void> {
      const parsed = ReportFiled.safeParse(event);
      if (!parsed.success) {
        // A bug upstream, not a passing fault: retrying would not help, so it is logged and dropped.
        deps.log.warn({ channel: person.channel, problems: parsed.error.issues.map((i) => i.path.join('.')) }, 'a report_filed event was malformed; not stored');
        return;
      }
      const { reportId, lang, report } = parsed.data;
      const { name, company, phone, social } = report.recruiter;
      const keys = recruiterKeys({ name, company, phone, social }, { unknownPhrases: deps.unknownPhrases });
      // On the person's list first (as long as the reports themselves, REPORT_RETENTION_DAYS), so
      // that `hapus` reaches the report even if storing it fails half-way and is retried; an id
      // whose report was never stored is harmless to an erase.
      await deps.store.listPush(deps.store.layout.personReports(person), [reportId], deps.store.retention.reportMs, 1000);
      const { created } = await deps.reports.fileReport({ id: reportId, at, reporter: reporterPseudonym(deps.store.layout, person), keys, content: report, lang });
      // Never the content: a recruiter's number and a family's story stay out of the logs.
      deps.log.info({ reportId, keys: keys.length, created }, created ? 'report stored' : 'report already stored');
    },
  };
}

export type ReportDesk = ReturnType<typeof createReportDesk>;
