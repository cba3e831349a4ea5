/**
 * The hotline directory (`flows/contacts.yaml`) as a schema. Numbers are data so that a deploying
 * organisation can correct them without a release; every entry carries its source and the month
 * it was last verified, and people see that month next to the number.
 */
import { z } from 'zod';

const Key = z.string().regex(/^[a-z][a-z0-9-]*$/);

const ContactSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  name: Key,
  purpose: Key,
  hours: Key,
  numbers: z
    .array(z.strictObject({ label: Key, value: z.string().regex(/^[+0-9][0-9 ()-]*$/, 'digits, spaces, + ( ) - only') }))
    .min(1),
  source: z.string().min(10),
  /** When the number was last seen in a trustworthy source: `YYYY-MM`, or `YYYY` when only the year is known. */
  verified: z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, 'YYYY-MM or YYYY'),
  /** True when the source is weak or old: people are asked to double-check. */
  recheck: z.boolean(),
  /** Where the entry is shown: result levels (`high`, `medium`, `low`) and situations (`emergency`, …). */
  show: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)),
});

export const ContactsFileSchema = z.strictObject({ contacts: z.array(ContactSchema).min(1) });

export type Contact = z.infer<typeof ContactSchema>;
