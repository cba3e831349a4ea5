/**
 * The small condition language used by flow branches and by the signs catalogue. Conditions are
 * data (YAML); evaluation is pure and total: a missing answer never matches.
 */
import { z } from 'zod';

/** A value a condition can compare with a saved answer. */
const Scalar = z.union([z.string(), z.number(), z.boolean()]);

/** A condition as written in YAML. */
export type Condition =
  | { answer: string; in: Array<string | number | boolean> }
  | { answer: string; gte?: number; lte?: number }
  | { sign: string }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

/** zod schema of a condition, strict so that a typo in a key is reported rather than ignored. */
export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ answer: z.string().min(1), in: z.array(Scalar).min(1) }),
    z
      .strictObject({ answer: z.string().min(1), gte: z.number().optional(), lte: z.number().optional() })
      .refine((c) => c.gte !== undefined || c.lte !== undefined, { message: 'needs gte or lte' }),
    z.strictObject({ sign: z.string().min(1) }),
    z.strictObject({ all: z.array(ConditionSchema).min(1) }),
    z.strictObject({ any: z.array(ConditionSchema).min(1) }),
    z.strictObject({ not: ConditionSchema }),
  ]),
);

/** What a condition is evaluated against. */
export interface Facts {
  answers: Readonly<Record<string, string | number | boolean>>;
  /** Ids of the signs found so far (only the signs catalogue uses `sign:` conditions). */
  signs?: ReadonlySet<string>;
}

/** Evaluates a condition against saved answers (and signs already found). */
export function evaluate(cond: Condition, facts: Facts): boolean {
  if ('all' in cond) return cond.all.every((c) => evaluate(c, facts));
  if ('any' in cond) return cond.any.some((c) => evaluate(c, facts));
  if ('not' in cond) return !evaluate(cond.not, facts);
  if ('sign' in cond) return facts.signs?.has(cond.sign) ?? false;
  const value = facts.answers[cond.answer];
  if (value === undefined) return false;
  if ('in' in cond) return cond.in.includes(value);
  if (typeof value !== 'number') return false;
  return (cond.gte === undefined || value >= cond.gte) && (cond.lte === undefined || value <= cond.lte);
}

/** Lists every answer name and sign id a condition mentions, for `flows:check`. */
export function references(cond: Condition): { answers: string[]; signs: string[] } {
  const answers: string[] = [];
  const signs: string[] = [];
  const walk = (c: Condition): void => {
    if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else if ('not' in c) walk(c.not);
    else if ('sign' in c) signs.push(c.sign);
    else answers.push(c.answer);
  };
  walk(cond);
  return { answers, signs };
}
