/**
 * The schema of `flows/salary-ranges.yaml`: the usual pay for a job in a country, the pay that
 * scam compounds use as bait, and exchange rates, each with its source and date. A number without
 * a source does not belong here: where no usual pay could be sourced, the file says so and the
 * analyser makes no pay comparison.
 */
import { z } from 'zod';

const Id = z.string().regex(/^[a-z][a-z0-9_]*$/);
const Code = z.string().regex(/^[A-Z]{3}$/);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Source = z.string().min(10);

const RangeSchema = z.strictObject({
  id: Id,
  /** Job answers of flows/check.yaml this pay is for. */
  job: z.array(z.string().min(1)).min(1),
  /** Places that tell the ad is about this country (phrases, as in ad-patterns.yaml). */
  where: z.array(z.string().min(1)).min(1),
  currency: Code,
  /** The sourced monthly pay (a legal or agreed minimum), in `currency`. */
  monthly: z.number().positive(),
  since: Day,
  source: Source,
});

const ScamPaySchema = z.strictObject({
  id: Id,
  job: z.array(z.string().min(1)).min(1),
  /** Destination answers this applies to; `unnamed` = the ad names no country at all. */
  destination: z.array(z.string().min(1)).min(1),
  /** Monthly pay at or above which the offer matches the bait, per currency. */
  at_least: z.record(Code, z.number().positive()),
  source: Source,
});

const RateSchema = z.strictObject({
  currency: Code,
  /** Rupiah for one unit of `currency`. */
  idr: z.number().positive(),
  date: Day,
  source: Source,
});

export const SalaryRangesSchema = z.strictObject({
  /** An offer above `far_above` × the sourced monthly pay is "far above the usual range". */
  far_above: z.number().min(1),
  rates: z.array(RateSchema),
  ranges: z.array(RangeSchema),
  scam_pay: z.array(ScamPaySchema),
});

export type SalaryRanges = z.infer<typeof SalaryRangesSchema>;
export type SalaryRange = z.infer<typeof RangeSchema>;
export type ScamPay = z.infer<typeof ScamPaySchema>;
