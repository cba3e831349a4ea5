/** PRIVACY.md is what an organisation relies on: its figures and the files it names must be the code's. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { DEAD_LETTER_RETENTION_MS } from '../../src/storage/keys.js';

const doc = readFileSync(new URL('../../PRIVACY.md', import.meta.url), 'utf8');
const DAY = 24 * 60 * 60 * 1000;

describe('PRIVACY.md', () => {
  it('states the retention the configuration applies by default', () => {
    const c = parseConfig({});
    const rows: Array<[string, string]> = [
      ['SESSION_RETENTION_HOURS', `${c.SESSION_RETENTION_HOURS} hours after their last message (\`SESSION_RETENTION_HOURS\`)`],
      ['CASE_RETENTION_DAYS', `${c.CASE_RETENTION_DAYS} days (\`CASE_RETENTION_DAYS\`)`],
      ['REPORT_RETENTION_DAYS', `${c.REPORT_RETENTION_DAYS / 365} years (\`REPORT_RETENTION_DAYS\`)`],
      ['IDEMPOTENCY_RETENTION_DAYS', `${c.IDEMPOTENCY_RETENTION_DAYS} days (\`IDEMPOTENCY_RETENTION_DAYS\``],
    ];
    for (const [, text] of rows) expect(doc).toContain(text);
    expect(doc).toContain(`kept ${DEAD_LETTER_RETENTION_MS / DAY} days for staff to look into`);
  });

  it('names only files and commands that exist', () => {
    const files = [...doc.matchAll(/`((?:src|tests)\/[\w/.-]+\.ts)`/g)].map((m) => m[1] ?? '');
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) expect(existsSync(new URL(`../../${f}`, import.meta.url)), f).toBe(true);
    const scripts = Object.keys((JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts);
    for (const m of doc.matchAll(/npm run ([\w:-]+)/g)) expect(scripts).toContain(m[1]);
  });
});
