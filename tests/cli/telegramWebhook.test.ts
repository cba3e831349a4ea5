import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi } from '../support/fakeBotApi.js';

const run = promisify(execFile);
const TOKEN = '6100000001:AAtest-token_for-waspada';
let fake: FakeBotApi;
beforeAll(async () => {
  fake = await startFakeBotApi({ token: TOKEN });
});
afterAll(() => fake.close());

const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/telegramWebhook.ts', ...args], {
    env: { ...process.env, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: 'poster-secret_1', TELEGRAM_API_ROOT: fake.url },
  });

it('registers the webhook with the secret, the handled updates and both command menus, and deletes it', async () => {
  const { stdout } = await cli('set', 'https://bot.example.org/');
  expect(stdout).toContain('https://bot.example.org/webhooks/telegram');
  expect(fake.webhook).toMatchObject({ url: 'https://bot.example.org/webhooks/telegram', secret_token: 'poster-secret_1' });
  expect(fake.callsOf('setWebhook')[0]?.params.allowed_updates).toEqual(['message', 'edited_message', 'callback_query', 'my_chat_member']);
  expect(fake.commandsFor().map((c) => c.command)).toEqual(['menu', 'bantuan', 'bahasa', 'hapus', 'berhenti', 'selesai']);
  expect(fake.commandsFor('en').map((c) => c.command)).toEqual(['menu', 'help', 'language', 'delete', 'stop', 'done']);
  expect(fake.commandsFor('en')[3]?.description).toBe('Erase all your data');

  await cli('delete');
  expect(fake.webhook).toBeNull();
});

it('refuses a URL that is not https, with the usage', async () => {
  const failed = await cli('set', 'http://bot.example.org').then(
    () => undefined,
    (err: { code: number; stderr: string }) => err,
  );
  expect(failed?.code).toBe(1);
  expect(failed?.stderr).toMatch(/usage: npm run telegram:webhook/);
});
