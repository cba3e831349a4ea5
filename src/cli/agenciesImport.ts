/**
 * `npm run agencies:import -- <file.csv> [--strict]` replaces the licensed-agency register that
 * every app instance checks agencies against (it picks up the new one within a minute).
 *
 * Bad rows are listed by line and left out; the good rows load. A file that cannot be read as a
 * register (not UTF-8, no header, a required column missing) stores nothing, and neither does a
 * file without one good row or, with --strict, a file with any bad row: the register in use is
 * then unchanged. Needs REDIS_URL or REDIS_CLUSTER_NODES, like staff:add.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../config.js';
import { AGENCY_COLUMNS, AgencyRegisterFormatError, parseAgencyCsv } from '../reports/agencyRegister.js';
import { localDate, readRegister, saveRegister } from '../reports/registerStore.js';
import { openSharedStore, UsageError } from './sharedStore.js';

const USAGE = 'usage: npm run agencies:import -- <file.csv> [--strict]';
const UNCHANGED = 'Nothing was imported; the register in use is unchanged.';

/** Set once the new register is stored: from then on a failure (closing the connection) changed nothing for people. */
let saved = false;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The file as text: UTF-8 only, since a file saved in a legacy code page would garble names without an error. */
function readText(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new UsageError(`Cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AgencyRegisterFormatError(`${path} is not UTF-8 text. Save it as "CSV UTF-8" (in Excel: Save As → CSV UTF-8) and import it again.`);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { strict: { type: 'boolean' } }, allowPositionals: true });
  if (positionals.length !== 1 || !positionals[0]) throw new UsageError(USAGE);
  const path = positionals[0];
  const config = parseConfig(process.env);

  // The file is checked before Redis is reached: its problems are worth seeing either way.
  const { entries, problems } = parseAgencyCsv(readText(path));
  for (const p of problems) console.error(`line ${p.line}: ${p.message} (${p.code})`);
  if (entries.length === 0) {
    throw new AgencyRegisterFormatError(`${path} has no row that could be loaded (columns: ${AGENCY_COLUMNS.join(', ')}; dates YYYY-MM-DD).`);
  }
  if (values.strict && problems.length > 0) {
    throw new UsageError(`--strict: ${plural(problems.length, 'row is', 'rows are')} not valid; correct ${problems.length === 1 ? 'it' : 'them'} or import without --strict.`);
  }

  const store = await openSharedStore(config, 'a register imported here');
  try {
    // The organisation's date: the register is shown to people as "imported on" this day.
    const importedAt = localDate(Date.now(), config.HOTLINE_HOURS?.timeZone ?? 'Asia/Jakarta');
    const previous = await readRegister(store).catch(() => undefined);
    await saveRegister(store, { importedAt, source: basename(path), entries });
    saved = true;
    const expired = entries.filter((e) => e.validUntil < importedAt).length;
    console.log(`imported ${plural(entries.length, 'agency', 'agencies')}, skipped ${plural(problems.length, 'row', 'rows')}`);
    if (expired > 0) console.log(`${plural(expired, 'licence has', 'licences have')} already expired; people asking about ${expired === 1 ? 'that agency' : 'those agencies'} are warned.`);
    if (previous) console.log(`This replaces the register imported on ${previous.importedAt} from ${previous.source} (${plural(previous.entries.length, 'agency', 'agencies')}).`);
    console.log('Running instances use it within a minute.');
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  if (!saved) console.error(UNCHANGED);
  process.exit(saved ? 0 : 1);
});
