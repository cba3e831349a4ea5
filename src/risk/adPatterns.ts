/**
 * The schema of `flows/ad-patterns.yaml`: the words of job ads, as data that staff can extend.
 * Each group of phrases says which answer of the check (flows/check.yaml) an ad that contains one
 * of them gives; the signs then follow from those answers through the assessment, exactly as in
 * the chat. Phrase syntax: src/risk/phrases.ts.
 */
import { z } from 'zod';
import { ConditionSchema } from '../common/condition.js';

const Id = z.string().regex(/^[a-z][a-z0-9_]*$/);
const Phrase = z.string().min(1).max(200);

const GroupSchema = z.strictObject({
  /** A name for the group, unique in the file; shown in test output. */
  id: Id,
  /** The sign the answer shows (documentation, checked to exist); absent for facts such as the country. */
  sign: Id.optional(),
  /** The check question this group answers, and the answer it gives. */
  answer: Id,
  value: z.string().min(1),
  /** Only when the answers found without conditions satisfy this (e.g. internship wording on a fishing job). */
  when: ConditionSchema.optional(),
  phrases: z.array(Phrase).min(1),
});

const NegatorSchema = z.strictObject({
  phrase: Phrase,
  /** How many words may stand between the negator and the phrase it negates (0 = right before it). */
  window: z.number().int().min(0).max(3),
});

const CurrencySchema = z.strictObject({
  /** ISO 4217 code. */
  code: z.string().regex(/^[A-Z]{3}$/),
  /** How ads write it, right before or after the number: "Rp", "NT$", "ringgit". */
  words: z.array(Phrase).min(1),
});

export const AdPatternsSchema = z.strictObject({
  /** Slang and abbreviations folded to one word before matching: `tanpa: [tnp, tnpa]`. */
  synonyms: z.record(z.string().min(1), z.array(z.string().min(1))),
  /** Words that cancel a phrase that follows them ("tanpa DP", "tidak melalui calo"). */
  negators: z.array(NegatorSchema),
  /** Words that join a list: a negated phrase negates the next one after "/" or one of these. */
  list_words: z.array(Phrase),
  /** Phrases that look like a sign but are not ("kartu keluarga", "paspor dipegang sendiri"). */
  ignore: z.array(Phrase),
  groups: z.array(GroupSchema).min(1),
  /** When an ad gives two answers to one question that together mean a third (secrecy + route = both). */
  combine: z.array(z.strictObject({ answer: Id, values: z.array(z.string()).length(2), to: z.string() })),
  amounts: z.strictObject({
    currencies: z.array(CurrencySchema).min(1),
    /** The currency of an amount written with a multiplier alone ("15 juta", "15jt"). */
    default_currency: z.string().regex(/^[A-Z]{3}$/),
    multipliers: z.array(z.strictObject({ factor: z.number().positive(), words: z.array(Phrase).min(1) })),
    /** Words joining the two ends of a range: "15 - 20 juta", "15 sampai 20 juta". */
    range_words: z.array(Phrase),
    /** Words before an amount that make it pay, or a cost to the worker. */
    pay_words: z.array(Phrase).min(1),
    fee_words: z.array(Phrase).min(1),
    /** Words after an amount that say it is not per month ("per jam"): only monthly pay is compared. */
    not_monthly: z.array(Phrase),
  }),
});

export type AdPatterns = z.infer<typeof AdPatternsSchema>;
export type AdGroup = z.infer<typeof GroupSchema>;
