/** The labelled job-ad corpus (tests/risk/ads/*.yaml), validated: used by the corpus test and the bench. */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const AdSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** id = Indonesian, en = English, mixed = slang, abbreviations or both languages. */
  language: z.enum(['id', 'en', 'mixed']),
  /** What a careful reader would say from the text alone. */
  level: z.enum(['low', 'medium', 'high']),
  signs: z.array(z.string()),
  /** What the ad models, and where that pattern comes from. */
  note: z.string().min(10),
  text: z.string().min(10),
});

export type LabelledAd = z.infer<typeof AdSchema>;

export const ADS_DIR = fileURLToPath(new URL('./ads/', import.meta.url));
/** Ads never used to tune the patterns (see the file's header). */
export const HOLDOUT_DIR = fileURLToPath(new URL('./ads-holdout/', import.meta.url));

/** Every ad of every file in the folder (tests/risk/ads by default), in file order. */
export function loadCorpus(dir: string = ADS_DIR): LabelledAd[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => z.array(AdSchema).parse(parseYaml(readFileSync(`${dir}${f}`, 'utf8'))));
}
