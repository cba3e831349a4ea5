/**
 * The engine's vocabulary: what comes in, what goes out, and the session it keeps.
 * Everything here is plain JSON so that any store can save it and any channel can render it.
 */

/** A language code that has a file in `locales/` (for example `id` or `en`). */
export type Lang = string;

/** The channel a person writes from. The engine only uses it to pick channel-specific wording. */
export type ChannelName = 'web' | 'whatsapp' | 'telegram';

/** Kinds of non-text messages a person can send; they get a kind "please type" reply. */
export type MediaKind =
  | 'image'
  | 'audio'
  | 'video'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contacts'
  | 'reaction'
  | 'edited'
  | 'unsupported';

/** What a person sent, already translated from the provider's payload by the channel. */
export type Input =
  | { kind: 'text'; text: string }
  /** A button press: the option id, and the question the button belonged to (to spot old buttons). */
  | { kind: 'choice'; id: string; ask?: string }
  | { kind: 'start'; payload?: string }
  | { kind: 'media'; media: MediaKind; caption?: string }
  /** Something hotline staff did on the person's case; the bot tells the person in their language. */
  | { kind: 'staff'; action: StaffAction };

/** What staff can do that the person hears about (see src/handoff/). */
export type StaffAction =
  /** The case was opened: its number, and whether staff are on duty (else their hours, and when they are next, ms, in their time zone). */
  | { type: 'opened'; caseId: string; onDuty: boolean; hours?: string; nextOnDuty?: number; timeZone?: string }
  | { type: 'reply'; text: string }
  | { type: 'claimed' }
  | { type: 'closed' }
  | { type: 'muted' }
  | { type: 'unmuted' };

/** One option of a question as a channel shows it: a stable id and a localised label. */
export interface Choice {
  id: string;
  label: string;
}

/** One message for the person, already localised; the channel renders it within its limits. */
export interface OutgoingMessage {
  text: string;
  choices?: Choice[];
  /** With choices: which question they answer (`check.visa`, `pending.rescue`); channels put it in button ids. */
  ask?: string;
  /** With choices: the label of the button that opens a list of options (WhatsApp lists). */
  button?: string;
}

/** A saved answer: an option id, a yes/no, a number or a validated string. */
export type AnswerValue = string | number | boolean;

/** Where a person stands in a flow. */
export interface Position {
  flow: string;
  node: string;
}

/** Something the engine is waiting for outside the normal flow (a confirmation, a language, a way out). */
export type Pending =
  | { kind: 'erase_confirm'; resume: Position | null }
  | { kind: 'language'; resume: Position | null }
  | { kind: 'rescue'; resume: Position }
  /** Asking before anything is shared with hotline staff; `at` is the handoff node that asked. */
  | { kind: 'consent'; at: Position };

/**
 * The person is in a hotline case. While `muted`, the flows are silent and what the person writes
 * goes to staff; unmuted (by staff), the bot answers again and staff still see the messages.
 */
export interface Relay {
  muted: boolean;
  /** When the case was asked for (ms). */
  since: number;
}

/**
 * How fast the person has been writing (src/engine/pace.ts): the window opened at `since` (ms)
 * and the messages counted in it; `quietUntil` once they were told to slow down.
 */
export interface Pace {
  since: number;
  count: number;
  quietUntil?: number;
}

/** The state of one person's conversation. Plain JSON; the caller stores it. */
export interface Session {
  /** Schema version of this object, so stored sessions can be migrated. */
  v: 1;
  lang: Lang;
  /** True once the person chose a language explicitly; channel hints no longer override it. */
  langChosen: boolean;
  /** Where the person is; null when no flow is active (after `stop`, or before the first message). */
  at: Position | null;
  answers: Record<string, AnswerValue>;
  /** How many unrecognised answers in a row at the current question. */
  misses: number;
  pending: Pending | null;
  /** Time of the last message from the person, in ms since the epoch (from the injected clock). */
  lastSeenAt: number;
  /** Present while the person is connected to hotline staff. */
  relay?: Relay;
  /** Answers a job ad the person sent already gave: their questions are skipped once. */
  prefilled?: string[];
  /** The per-person message limit's count; absent while connected to staff, or before the first message. */
  pace?: Pace;
}

/** What staff get to see when a case opens: shared only after consent, or in an emergency. */
export interface HandoffSummary {
  lang: string;
  /** The flow the person was in, if any (`abroad` tells staff the person is already abroad). */
  flow?: string;
  level?: RiskLevel;
  signs: string[];
  answers: Record<string, AnswerValue>;
}

/** Events the engine emits for the edges to act on; the engine itself never does I/O. */
export type EngineEvent =
  /** `tally`: the answers the assess node names for the statistics (option ids of choice questions), when given. */
  | { type: 'assessment_completed'; flow: string; level: RiskLevel; signs: string[]; unknown: string[]; tally?: Record<string, string> }
  /** The person agreed to be connected to hotline staff. */
  | { type: 'handoff_requested'; reason: 'high_risk' | 'asked_for_person' | 'abroad' | 'report'; priority: Priority; summary: HandoffSummary }
  /** An emergency word or answer: an urgent case at once (or the open case raised to urgent). */
  | { type: 'emergency'; summary: HandoffSummary }
  /** What the person wrote while connected to staff. */
  | { type: 'relay_message'; text?: string; media?: MediaKind }
  /** The person ended the conversation with staff (`selesai`). */
  | { type: 'handoff_ended' }
  /** A pasted or forwarded job ad was read: the signs it shows and the check answers it gave (ids only). */
  | { type: 'ad_analysed'; signs: string[]; answered: string[] }
  /** A family report, kept after the reporter agreed; `reportId` was told to them. */
  | { type: 'report_filed'; reportId: string; lang: string; report: ReportContent }
  /** `lang`: the person's language, for what a channel still says after the erase. */
  | { type: 'erase_requested'; lang: string }
  | { type: 'session_expired' }
  | { type: 'stopped' };

export type { RiskLevel } from '../risk/assess.js';
import type { RiskLevel } from '../risk/assess.js';
export type Priority = 'urgent' | 'high' | 'normal';

/** The result of one engine step. `session: null` means "erase everything stored about this person". */
export interface StepResult {
  session: Session | null;
  messages: OutgoingMessage[];
  events: EngineEvent[];
  /**
   * With an erase (`session: null`): the person's message count, to carry into their next
   * session (StepContext.pace), so that erasing does not reset the per-person limit. Counts and
   * times only, nothing the person said.
   */
  keptPace?: Pace;
}

/** What the caller tells the engine about the message besides its content. */
export interface StepContext {
  channel: ChannelName;
  /** Current time in ms since the epoch; the engine has no clock of its own. */
  now: number;
  /** A language hint from the channel (Telegram's `language_code`), used until the person chooses. */
  langHint?: string;
  /** The message reached us long after it was sent (a provider's late redelivery): it is no answer to the current question. */
  late?: boolean;
  /** What the caller looked up for an answer that asks for it (a node with `lookup`): the engine itself does no I/O. */
  facts?: Facts;
  /** Draws a fresh random id (the caller's randomness), for anything this step creates (a report's number). */
  newId?: () => string;
  /** For a fresh session after an erase: the count the erase kept (StepResult.keptPace). */
  pace?: Pace;
}

/** What the caller found about a recruiter the person named. */
export interface Facts {
  /** Distinct people who reported this recruiter; given only when enough did (REPORTS_WARN_MIN). */
  recruiterReports?: number;
  /** The agency named, checked against the licensed-agency register (absent for a phone number). */
  agency?: AgencyFact;
}

/** The register's answer about an agency: never "licensed" or "unlicensed" without a register. */
export type AgencyFact =
  | { kind: 'no_register' }
  | { kind: 'found'; name: string; licence: string; validUntil: string; importedAt: string; fuzzy: boolean }
  | { kind: 'expired'; name: string; licence: string; validUntil: string; importedAt: string }
  | { kind: 'not_found'; importedAt: string };

/** A family report as the report flow collected it (each part optional: "don't know" is always allowed). */
export interface ReportContent {
  recruiter: { name?: string; company?: string; phone?: string; social?: string; place?: string };
  recruited: { relation?: string; destination?: string; job?: string };
  happened: { sign?: string; text?: string };
  danger: boolean;
  contact: { allowed: boolean; how?: string };
}
