/**
 * What Waspada knows about a recruiter a person names during a job-offer check: how many
 * different people reported them (told only from REPORTS_WARN_MIN on, and never who or what),
 * and what the licensed-agency register says about an agency name. The pipeline calls this for
 * a question with `lookup: recruiter` and hands the result to the (pure) engine as facts.
 */
import type { AgencyFact, Facts } from '../engine/types.js';
import { checkAgency, type AgencyRegister } from './agencyRegister.js';
import { fold } from '../common/normalize.js';
import { companyWords, recruiterKeys, type RecruiterKey } from './recruiter.js';

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

/**
 * Legal forms that can never hold a placement licence (only a PT with a SIP3MI can): an LPK, a CV
 * or a Malaysian Sdn Bhd that shares its name with a licensed PT must not be told "found".
 */
const NOT_A_PLACEMENT_COMPANY = /\b(?:lpk|cv|ud|sdn|bhd|ltd|llc|inc|koperasi|yayasan)\b/;

/** Creates the lookup the pipeline calls with the person's answer. */
export function createRecruiterLookup(o: RecruiterLookupOptions): (text: string) => Promise<Facts> {
  const read = { unknownPhrases: o.unknownPhrases };
  return async (text) => {
    // Several numbers in one answer ("0812…, 0813…") are each looked up.
    const phoneKeys = recruiterKeys({ phone: text }, read);
    const isPhone = phoneKeys.length > 0;
    const keys = isPhone ? phoneKeys : nameKeys(text, read);
    const facts: Facts = {};
    if (keys.length > 0 && o.reportersFor) {
      const reporters = await o.reportersFor(keys);
      if (reporters >= o.warnMin) facts.recruiterReports = reporters;
    }
    // A number is not an agency name; a name is checked against the register (or the person is
    // told how to check it themselves when there is none).
    const namesAnAgency = recruiterKeys({ company: text }, read).length > 0;
    if (!isPhone && namesAnAgency && !SOCIAL_HINT.test(text)) facts.agency = await agencyOf(o, text);
    return facts;
  };
}

/**
 * The keys of a name or company typed in a check. A single word ("calo", "lupa", "Mandiri") is
 * no identifier: matched on its own it would warn everyone who types a common word, and it would
 * merge different companies. Full names and companies of two words or more are.
 */
function nameKeys(text: string, read: { unknownPhrases: readonly string[] }): RecruiterKey[] {
  const all = recruiterKeys({ name: text, company: text, ...(SOCIAL_HINT.test(text) ? { social: text } : {}) }, read);
  return companyWords(text).length >= 2 ? all : all.filter((k) => !k.startsWith('company:'));
}

/** What the register says about an agency name, careful with what it cannot know. */
async function agencyOf(o: RecruiterLookupOptions, text: string): Promise<AgencyFact> {
  const register = o.register ? await o.register() : undefined;
  if (register && NOT_A_PLACEMENT_COMPANY.test(fold(text))) return { kind: 'not_found', importedAt: register.importedAt };
  const check = checkAgency(register, text, o.today());
  switch (check.kind) {
    case 'found':
      return { kind: 'found', name: check.name, licence: check.licence, validUntil: check.validUntil, importedAt: check.importedAt, fuzzy: check.fuzzy };
    case 'expired':
      // Only our copy's own word counts as "expired": a licence that ran out after the import may
      // have been renewed since, and a look-alike name is not the person's agency. Both are told
      // as found (with the date shown), never as a warning sign.
      if (check.fuzzy || check.validUntil >= check.importedAt.slice(0, 10)) {
        return { kind: 'found', name: check.name, licence: check.licence, validUntil: check.validUntil, importedAt: check.importedAt, fuzzy: check.fuzzy };
      }
      return { kind: 'expired', name: check.name, licence: check.licence, validUntil: check.validUntil, importedAt: check.importedAt };
    default:
      return check;
  }
}
