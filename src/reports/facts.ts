/**
 * What Waspada knows about a recruiter a person names during a job-offer check: how many
 * different people reported them (told only from REPORTS_WARN_MIN on, and never who or what),
 * and what the licensed-agency register says about an agency name. The pipeline calls this for
 * a question with `lookup: recruiter` and hands the result to the (pure) engine as facts.
 */
import type { AgencyFact, Facts } from '../engine/types.js';
import { checkAgency, type AgencyRegister } from './agencyRegister.js';
import { normalisePhone, recruiterKeys, type RecruiterKey } from './recruiter.js';

export interface RecruiterLookupOptions {
  /** Distinct reporters among the valid reports that share any of these keys. */
  reportersFor?: (keys: RecruiterKey[]) => Promise<number>;
  /** The register as imported (undefined when none was). */
  register?: () => Promise<AgencyRegister | undefined>;
  /** Fewer distinct reporters than this are not told: one person's grudge is no warning. */
  warnMin: number;
  /** Today's date (`YYYY-MM-DD`) where the organisation is, for licence expiry. */
  today: () => string;
  /** Folded "don't know" phrases of the content, so that "tidak tahu" is never a recruiter. */
  unknownPhrases: readonly string[];
}

/** Looks like a social account rather than a name: a handle or a link. */
const SOCIAL_HINT = /@|https?:\/\/|\b(?:instagram|facebook|fb|tiktok|t)\.(?:com|me)\b/i;

/** Creates the lookup the pipeline calls with the person's answer. */
export function createRecruiterLookup(o: RecruiterLookupOptions): (text: string) => Promise<Facts> {
  return async (text) => {
    const phone = normalisePhone(text);
    const keys = phone
      ? recruiterKeys({ phone: text }, { unknownPhrases: o.unknownPhrases })
      : recruiterKeys({ name: text, company: text, ...(SOCIAL_HINT.test(text) ? { social: text } : {}) }, { unknownPhrases: o.unknownPhrases });
    const facts: Facts = {};
    if (keys.length > 0 && o.reportersFor) {
      const reporters = await o.reportersFor(keys);
      if (reporters >= o.warnMin) facts.recruiterReports = reporters;
    }
    // A number is not an agency name; a name is checked against the register (or the person is
    // told how to check it themselves when there is none).
    if (!phone && keys.length > 0 && !SOCIAL_HINT.test(text)) facts.agency = agencyFact(checkAgency(o.register ? await o.register() : undefined, text, o.today()));
    return facts;
  };
}

/** The register's answer as the engine's fact (without the province, which the person is not told). */
function agencyFact(check: ReturnType<typeof checkAgency>): AgencyFact {
  switch (check.kind) {
    case 'found':
      return { kind: 'found', name: check.name, licence: check.licence, validUntil: check.validUntil, importedAt: check.importedAt, fuzzy: check.fuzzy };
    case 'expired':
      return { kind: 'expired', name: check.name, licence: check.licence, validUntil: check.validUntil, importedAt: check.importedAt };
    default:
      return check;
  }
}
