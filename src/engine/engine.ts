/**
 * What the engine needs to run: the flows, the interrupt words, the hotline directory, the
 * translator and the assessment, prepared once at start-up. The engine never loads anything
 * itself; `content/load.ts` builds this from the files.
 */
import { fold } from '../common/normalize.js';
import type { Translator } from '../i18n/translator.js';
import type { Assessment } from '../risk/assess.js';
import type { Contact } from './contacts.js';
import type { Commands, Flow } from './flowSchema.js';
import { prepareWords, type AnswerWords } from './match.js';
import { DEFAULT_PACE, type PaceLimits } from './pace.js';

export type CommandName = keyof Commands['commands'];

/** Everything one engine step reads. Immutable after start-up. */
export interface Engine {
  flows: ReadonlyMap<string, Flow>;
  entry: Commands['entry'];
  emergencyExact: ReadonlySet<string>;
  emergencyContains: readonly string[];
  /** Folded command word → command. */
  commands: ReadonlyMap<string, CommandName>;
  words: AnswerWords;
  contacts: readonly Contact[];
  t: Translator;
  /** The risk assessment, injected so that the engine does not depend on `risk/` at run time. */
  assess: (answers: Readonly<Record<string, string | number | boolean>>) => Assessment;
  /** A conversation idle for longer than this is expired: its answers are dropped. */
  idleExpiryMs: number;
  /**
   * The job-ad analyser (injected, like the assessment): the signs a pasted or forwarded offer
   * shows, with the words that show them, and the check's answers it already gives.
   */
  analyseAd?: (text: string) => { signs: Array<{ id: string; evidence: string }>; answers: Record<string, string | number | boolean> };
  /**
   * True when hotline staff can take over conversations. Without staff (no store they can share,
   * no staff group, no webhook) nobody would ever read a case: people get the numbers instead.
   */
  staffed: boolean;
  /** The per-person message limit: more than `max` messages a window gets one warning, then quiet. */
  pace: PaceLimits;
}

/** Prepares the engine from validated content. */
export function createEngine(parts: {
  flows: readonly Flow[];
  commands: Commands;
  contacts: readonly Contact[];
  t: Translator;
  assess: Engine['assess'];
  idleExpiryMs: number;
  staffed?: boolean;
  analyseAd?: Engine['analyseAd'];
  /** Defaults to 30 messages a minute, then a minute of quiet (DEFAULT_PACE). */
  pace?: PaceLimits;
}): Engine {
  const commands = new Map<string, CommandName>();
  for (const [name, list] of Object.entries(parts.commands.commands) as Array<[CommandName, string[]]>) {
    for (const w of list) commands.set(fold(w) || w.trim(), name);
  }
  return {
    flows: new Map(parts.flows.map((f) => [f.id, f])),
    entry: parts.commands.entry,
    emergencyExact: new Set(parts.commands.emergency.exact.map(fold)),
    emergencyContains: parts.commands.emergency.contains.map(fold),
    commands,
    words: prepareWords(parts.commands.answers),
    contacts: parts.contacts,
    t: parts.t,
    assess: parts.assess,
    idleExpiryMs: parts.idleExpiryMs,
    staffed: parts.staffed ?? true,
    pace: parts.pace ?? DEFAULT_PACE,
    ...(parts.analyseAd ? { analyseAd: parts.analyseAd } : {}),
  };
}
