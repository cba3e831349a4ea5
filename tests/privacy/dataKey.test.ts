/** Without Redis and DATA_KEY the app makes up a key for the run, and says so in the log. */
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { TEST_DATA_KEY } from '../support/dataKey.js';

async function warningsOf(env: Record<string, string>): Promise<string[]> {
  const lines: string[] = [];
  const app = await buildApp({ config: parseConfig({ LOG_LEVEL: 'warn', ...env }), logStream: { write: (line) => lines.push(line) } });
  await app.close();
  return lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
}

describe('the data key at start-up', () => {
  it('warns when a random key is made for this run', async () => {
    expect((await warningsOf({})).filter((m) => m.startsWith('DATA_KEY is not set'))).toHaveLength(1);
  });

  it('does not warn when DATA_KEY is given', async () => {
    expect((await warningsOf({ DATA_KEY: TEST_DATA_KEY })).filter((m) => m.includes('DATA_KEY'))).toEqual([]);
  });
});
