/**
 * The hotline desk as the configuration sets it up: which staff surfaces get case events, the
 * duty hours, and how the person hears about staff actions (through the conversation pipeline,
 * so the words are in their language and the order of their conversation holds). The app and a
 * separate sender process (worker.ts) both build it here.
 */
import type { Config } from '../config.js';
import type { Log } from '../conversation/log.js';
import type { Pipeline } from '../conversation/pipeline.js';
import { createReportDesk } from '../reports/reportDesk.js';
import type { ReportStore } from '../reports/reportStore.js';
import type { Store } from '../storage/store.js';
import type { StaffSurface } from './caseEvents.js';
import { createHotline, type Hotline, type HotlineOptions } from './hotline.js';

/** The staff surfaces the configuration enables (the web console reads the store and needs none). */
export function staffSurfaces(config: Config): StaffSurface[] {
  const surfaces: StaffSurface[] = [];
  if (config.HOTLINE_TELEGRAM_CHAT_ID) surfaces.push('hotline-telegram');
  if (config.HOTLINE_WEBHOOK_URL) surfaces.push('hotline-webhook');
  return surfaces;
}

/**
 * Creates the hotline desk for this configuration. Family reports are stored through it in
 * `reports`; `unknownPhrases` (the engine's folded "don't know" words) keep "tidak tahu" from
 * becoming a recruiter's name.
 */
export function hotlineFromConfig(
  config: Config,
  deps: { store: Store; pipeline: Pipeline; log: Log; now: () => number; reports: ReportStore; unknownPhrases: readonly string[]; onQueued?: () => void; onCaseChange?: HotlineOptions['onCaseChange'] },
): Hotline {
  return createHotline({
    store: deps.store,
    now: deps.now,
    log: deps.log,
    surfaces: staffSurfaces(config),
    claimMinutes: config.HOTLINE_CLAIM_MINUTES,
    ...(config.HOTLINE_HOURS ? { hours: config.HOTLINE_HOURS } : {}),
    ...(deps.onQueued ? { onQueued: deps.onQueued } : {}),
    ...(deps.onCaseChange ? { onCaseChange: deps.onCaseChange } : {}),
    reportDesk: createReportDesk({ reports: deps.reports, store: deps.store, unknownPhrases: deps.unknownPhrases, log: deps.log }),
    async tellPerson(person, action, actionId, caseId) {
      const result = await deps.pipeline.handle({ channel: person.channel, userId: person.id, messageId: `staff:${actionId}`, input: { kind: 'staff', action }, caseId });
      return result.gone ? 'gone' : 'ok';
    },
  });
}
