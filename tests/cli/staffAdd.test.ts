/**
 * `npm run staff:add` and `staff:remove` as processes against a real redis-server, and the
 * console signing in with the account they made (the app on the same Redis).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createRedisStore } from '../../src/storage/redis.js';
import { signIn } from '../console/support.js';
import { startRedis, type RedisServer } from '../support/redisServer.js';
import { TEST_DATA_KEY, testDataKeys } from '../support/dataKey.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(() => redis.stop());

/** Runs a command with `input` piped to stdin (as automation would), without a terminal. */
function cli(script: string, args: string[], input: string, env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], { env: { ...process.env, REDIS_URL: undefined, REDIS_CLUSTER_NODES: undefined, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

it('refuses to run on the in-memory store, saying why', async () => {
  const res = await cli('staffAdd', ['sari'], 'kopi tubruk di pagi hari\n', {});
  expect(res.code).toBe(1);
  expect(res.stderr).toMatch(/REDIS_URL.*in its own memory.*vanish/s);
});

it('creates an account from a piped password, and the console signs in with it; staff:remove ends it', { timeout: 60_000 }, async () => {
  const env = { REDIS_URL: redis.url, DATA_KEY: TEST_DATA_KEY };
  const short = await cli('staffAdd', ['sari'], 'pendek\n', env);
  expect(short.code).toBe(1);
  expect(short.stderr).toMatch(/at least 12 characters/);
  expect(short.stderr).not.toContain('pendek');

  const made = await cli('staffAdd', ['sari', '--name', 'Sari Wulandari'], 'kopi tubruk di pagi hari\n', env);
  expect(made.stderr).toBe('');
  expect(made.code).toBe(0);
  expect(made.stdout).toMatch(/Created the console account "sari"/);
  expect(redis.cli('GET', 'wsp:staff:sari')).toMatch(/"hash":"scrypt\$15\$8\$1\$/);
  expect(redis.cli('GET', 'wsp:staff:sari')).not.toContain('kopi');

  const again = await cli('staffAdd', ['sari'], 'kopi tubruk di pagi hari\n', env);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/already an account "sari"/);

  const store = createRedisStore({ url: redis.url, dataKeys: testDataKeys });
  const app = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent' }), store });
  try {
    await store.ready();
    await app.ready();
    const { cookie } = await signIn(app, 'sari', 'kopi tubruk di pagi hari');
    expect((await app.inject({ url: '/console', headers: { cookie } })).body).toContain('Signed in as Sari Wulandari (sari)');
    expect(redis.cli('KEYS', 'wsp:console:session:*')).toMatch(/^wsp:console:session:[0-9a-f]{64}$/);

    const removed = await cli('staffRemove', ['sari'], '', env);
    expect(removed.code).toBe(0);
    expect((await app.inject({ url: '/console', headers: { cookie } })).statusCode).toBe(303);
    expect((await cli('staffRemove', ['sari'], '', env)).code).toBe(1);
  } finally {
    await app.close();
    await store.close();
  }
});
