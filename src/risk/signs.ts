/**
 * The signs catalogue (`flows/signs.yaml`) as a schema: each warning sign with its severity,
 * weight, locale keys, source and the condition on the check's answers that detects it.
 */
import { z } from 'zod';
import { ConditionSchema } from '../common/condition.js';

const Key = z.string().regex(/^[a-z][a-z0-9-]*$/);

export const SeveritySchema = z.enum(['critical', 'major', 'minor']);
export type Severity = z.infer<typeof SeveritySchema>;

const SignSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  severity: SeveritySchema,
  /** Orders the signs in a result (heaviest first) and makes the score. */
  weight: z.number().int().min(1).max(100),
  title: Key,
  why: Key,
  safe: Key,
  /** Where the rule comes from (DOMAIN.md); shown to staff, never invented. */
  source: z.string().min(10),
  /** When the check's answers show this sign. */
  when: ConditionSchema,
  /** A stronger severity when a further condition holds (for example, a fee for an informal job). */
  escalate: z.strictObject({ to: SeveritySchema, when: ConditionSchema }).optional(),
});

/** Counts that lift the level: `high` when any threshold is reached, else `medium`, else `low`. */
const ThresholdsSchema = z.strictObject({
  critical: z.number().int().min(1).optional(),
  major: z.number().int().min(1).optional(),
  minor: z.number().int().min(1).optional(),
  unknown: z.number().int().min(1).optional(),
});

/** Answers that leave an important question open ("I don't know"); listed as things to find out. */
const OpenQuestionSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  when: ConditionSchema,
  text: Key,
});

export const CatalogueSchema = z.strictObject({
  rules: z.strictObject({ high: ThresholdsSchema, medium: ThresholdsSchema }),
  signs: z.array(SignSchema).min(1),
  open_questions: z.array(OpenQuestionSchema),
});

export type Sign = z.infer<typeof SignSchema>;
export type Catalogue = z.infer<typeof CatalogueSchema>;
export type Thresholds = z.infer<typeof ThresholdsSchema>;
