/**
 * `npm run keys:rotate` seals everything stored in Redis again with DATA_KEY. Rotating the data
 * key, step by step (PRIVACY.md, "Rotating the data key"):
 *   1. set DATA_KEY_PREVIOUS to the current key and DATA_KEY to a new one, and restart every
 *      instance and worker: they read both keys and write with the new one;
 *   2. run this command (as often as needed) until it reports nothing left;
 *   3. remove DATA_KEY_PREVIOUS and restart.
 * The service keeps running meanwhile. The pseudonyms in key names do not change.
 */
import { parseConfig } from '../config.js';
import type { ResealReport } from '../storage/reseal.js';
import { openSharedStore, UsageError } from './sharedStore.js';

const line = (r: ResealReport): string =>
  `${r.keys} keys looked at, ${r.resealed} values sealed again, ${r.changedMeanwhile} changed meanwhile, ${r.unreadable} unreadable, ${r.streamEntriesLeft} queued entries and ${r.deadLettersLeft} dead letters still under the old key`;

async function main(): Promise<void> {
  if (process.argv.length > 2) throw new UsageError('usage: npm run keys:rotate (DATA_KEY: the new key; DATA_KEY_PREVIOUS: the old one)');
  const config = parseConfig(process.env);
  if (!config.DATA_KEY_PREVIOUS) console.log('DATA_KEY_PREVIOUS is not set: only values under an unknown key will be reported; nothing can be moved.');
  const store = await openSharedStore(config, 'nothing');
  try {
    if (!('reseal' in store) || typeof store.reseal !== 'function') throw new UsageError('keys:rotate needs the Redis store.');
    const reseal = store.reseal as (o: { onBatch: (r: ResealReport) => void }) => Promise<ResealReport>;
    const report = await reseal({ onBatch: (r) => process.stdout.write(`… ${line(r)}\n`) });
    console.log(`Done: ${line(report)}.`);
    if (report.changedMeanwhile > 0 || report.streamEntriesLeft > 0) console.log('Run it again in a few minutes; keep DATA_KEY_PREVIOUS until nothing is left.');
    else if (report.unreadable > 0) console.log('Some values open with neither key: they were written with an older key, or damaged. They stay as they are.');
    else if (report.deadLettersLeft > 0) console.log('Only dead letters are left under the old key; they are deleted 7 days after they were set aside. Remove DATA_KEY_PREVIOUS after that.');
    else console.log('Everything is sealed with DATA_KEY: DATA_KEY_PREVIOUS can be removed.');
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
