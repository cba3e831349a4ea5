/**
 * `npm run agencies:import` as a process against a real redis-server: the good rows load and the
 * bad ones are reported by line; a file that is not a register leaves the register in use exactly
 * as it was; the app on the same Redis checks agencies against what was imported.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { checkAgency } from '../../src/reports/agencyRegister.js';
import { localDate, StoredRegisterSchema } from '../../src/reports/registerStore.js';
import { createRedisStore } from '../../src/storage/redis.js';
import { startRedis, type RedisServer } from '../support/redisServer.js';
import { TEST_DATA_KEY, testDataKeys } from '../support/dataKey.js';

const run = promisify(execFile);
const KEY = 'wsp:agencies:register';
const HEADER = 'name,licence_number,valid_until,province';

let redis: RedisServer;
let dir: string;
beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'waspada-agencies-'));
}, 30_000);
afterAll(async () => {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a file for the command to read. */
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Runs the import command; a failing run resolves with its exit code too. */
function importAgencies(args: string[], env: Record<string, string | undefined> = { REDIS_URL: redis.url, DATA_KEY: TEST_DATA_KEY }): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', 'src/cli/agenciesImport.ts', ...args], { env: { ...process.env, REDIS_URL: undefined, REDIS_CLUSTER_NODES: undefined, HOTLINE_HOURS: undefined, ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

const stored = () => StoredRegisterSchema.parse(JSON.parse(redis.cli('GET', KEY)));

it('loads the good rows, reports each bad row by line and reason, and the app checks against them', { timeout: 60_000 }, async () => {
  const before = localDate(Date.now(), 'Asia/Jakarta');
  const csv = file(
    'p3mi-2026-03.csv',
    [
      '# EXAMPLE: made-up agencies', // 1
      HEADER, // 2
      'PT Contoh Sejahtera,CONTOH-0001,2030-12-31,Jawa Timur', // 3 good
      'PT Contoh Tanpa Provinsi,CONTOH-0002,2030-12-31', // 4 a column missing
      'PT Contoh Tanggal,CONTOH-0003,31/12/2030,Bali', // 5 a date in another format
      'PT Contoh Kabisat,CONTOH-0004,2027-02-29,Bali', // 6 no such day
      'PT Contoh Kembar,contoh-0001,2031-01-01,Bali', // 7 the licence of line 3 again
      '"PT Contoh Maju Jaya, Tbk",CONTOH-0005,2029-06-30,Jawa Tengah', // 8 good
      '',
      'CV Contoh Karya Abadi,CONTOH-0006,2024-03-31,Nusa Tenggara Barat', // 10 good, expired
    ].join('\r\n'),
  );
  const res = await importAgencies([csv]);
  expect(res.code).toBe(0);
  expect(res.stdout).toContain('imported 3 agencies, skipped 4 rows');
  expect(res.stdout).toContain('1 licence has already expired');
  expect(res.stderr.trim().split('\n')).toEqual([
    'line 4: expected 4 fields, found 3 (field_count)',
    'line 5: valid_until "31/12/2030" is not a date written YYYY-MM-DD (bad_date)',
    'line 6: valid_until "2027-02-29" is not a date written YYYY-MM-DD (bad_date)',
    'line 7: licence number contoh-0001 is already on line 3 (duplicate_licence)',
  ]);

  const register = stored();
  expect(register.source).toBe('p3mi-2026-03.csv');
  expect([before, localDate(Date.now(), 'Asia/Jakarta')]).toContain(register.importedAt);
  expect(register.entries.map((e) => e.licence)).toEqual(['CONTOH-0001', 'CONTOH-0005', 'CONTOH-0006']);
  expect(Number(redis.cli('PTTL', KEY))).toBeGreaterThan(399 * 24 * 60 * 60 * 1000);

  // The app on the same Redis answers from the imported register.
  const store = createRedisStore({ url: redis.url, dataKeys: testDataKeys });
  const app = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent' }), store });
  try {
    await store.ready();
    const current = await app.waspada.register.current();
    expect(checkAgency(current, 'pt contoh maju jaya', '2026-03-02')).toMatchObject({ kind: 'found', licence: 'CONTOH-0005', validUntil: '2029-06-30', importedAt: register.importedAt });
    expect(checkAgency(current, 'CV Contoh Karya Abadi', '2026-03-02')).toMatchObject({ kind: 'expired', validUntil: '2024-03-31' });
    expect(checkAgency(current, 'PT Contoh Tanggal', '2026-03-02')).toEqual({ kind: 'not_found', importedAt: register.importedAt });
  } finally {
    await app.close();
    await store.close();
  }
});

it('stores nothing from a file that is not a register: the register in use stays exactly as it was', { timeout: 60_000 }, async () => {
  const good = await importAgencies(['examples/agencies.example.csv']);
  expect(good.code).toBe(0);
  expect(good.stdout).toContain('imported 6 agencies, skipped 0 rows');
  const before = redis.cli('GET', KEY);
  expect(StoredRegisterSchema.parse(JSON.parse(before)).source).toBe('agencies.example.csv');

  const attempts: Array<[string, string[], RegExp]> = [
    ['a required column missing', [file('no-date.csv', 'name,licence_number,province\nPT Contoh Satu,LIC-1,Bali\n')], /missing: valid_until/],
    ['no header at all', [file('empty.csv', '\n# nothing here\n')], /empty: it needs a header/],
    ['not UTF-8', [file('ansi.csv', Buffer.from(`${HEADER}\nPT Contoh Sejahtera Mand\xeddi,LIC-1,2030-01-01,Bali\n`, 'latin1'))], /not UTF-8 text/],
    ['no good row', [file('all-bad.csv', `${HEADER}\nPT Contoh,LIC-1,tomorrow,Bali\n`)], /no row that could be loaded/],
    ['a bad row under --strict', [file('one-bad.csv', `${HEADER}\nPT Contoh Satu,LIC-1,2030-01-01,Bali\nPT Contoh Dua,LIC-2,2030-13-01,Bali\n`), '--strict'], /--strict: 1 row is not valid/],
    ['a file that is not there', [join(dir, 'missing.csv')], /Cannot read/],
  ];
  for (const [what, args, message] of attempts) {
    const res = await importAgencies(args);
    expect(res.code, what).toBe(1);
    expect(res.stderr, what).toMatch(message);
    expect(res.stderr, what).toContain('Nothing was imported; the register in use is unchanged.');
    expect(res.stdout, what).not.toContain('imported');
    expect(redis.cli('GET', KEY), what).toBe(before);
  }
  expect((await importAgencies([file('bad-date.csv', `${HEADER}\nPT Contoh,LIC-1,tomorrow,Bali\n`), '--strict'])).stderr).toMatch(/^line 2: .*bad_date/m);

  // A later good import replaces the register and says what it replaced.
  const next = await importAgencies([file('p3mi-2026-04.csv', `${HEADER}\nPT Contoh Baru,LIC-9,2031-01-01,Bali\n`), '--strict']);
  expect(next.code).toBe(0);
  expect(next.stdout).toMatch(/imported 1 agency, skipped 0 rows\nThis replaces the register imported on \d{4}-\d\d-\d\d from agencies\.example\.csv \(6 agencies\)/);
  expect(stored().entries).toEqual([{ name: 'PT Contoh Baru', licence: 'LIC-9', validUntil: '2031-01-01', province: 'Bali' }]);
});

it('refuses to run on the in-memory store, saying why, and without a file says how to use it', async () => {
  const res = await importAgencies(['examples/agencies.example.csv'], {});
  expect(res.code).toBe(1);
  expect(res.stderr).toMatch(/REDIS_URL.*in its own memory.*a register imported here would vanish/s);
  const usage = await importAgencies([]);
  expect(usage.code).toBe(1);
  expect(usage.stderr).toMatch(/usage: npm run agencies:import -- <file.csv>/);
});
