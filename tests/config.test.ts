import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';

describe('configuration', () => {
  it('has defaults for a first run', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', DEFAULT_LANG: 'id', SESSION_IDLE_HOURS: 24, LOG_LEVEL: 'info' });
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ PORT: '' }).PORT).toBe(3000);
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT: /],
    [{ PORT: '70000' }, /^Invalid configuration: PORT: /],
    [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL: /],
    [{ SESSION_IDLE_HOURS: '-1' }, /^Invalid configuration: SESSION_IDLE_HOURS: /],
    [{ SESSION_IDLE_HOURS: '48', SESSION_RETENTION_HOURS: '24' }, /^Invalid configuration: SESSION_RETENTION_HOURS: must be at least/],
  ])('names the bad variable: %j', (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
  });

  it('never echoes the value it rejects', () => {
    expect(() => parseConfig({ PORT: 'secret-value-123' })).toThrow(/^(?!.*secret-value-123)/s);
  });

  it('stops the service with one clear line', async () => {
    const failed = await promisify(execFile)('npx', ['tsx', 'src/main.ts'], { env: { ...process.env, PORT: 'abc' } }).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: PORT: /)]);
  });
});

describe('hotline settings', () => {
  it('accept a case webhook over https, or plain http only to this machine', () => {
    const withSecret = (url: string) => ({ HOTLINE_WEBHOOK_URL: url, HOTLINE_WEBHOOK_SECRET: 'a-long-enough-secret' });
    expect(parseConfig(withSecret('https://cases.example.org/hook')).HOTLINE_WEBHOOK_URL).toBe('https://cases.example.org/hook');
    expect(parseConfig(withSecret('http://127.0.0.1:8080/hook')).HOTLINE_WEBHOOK_URL).toBe('http://127.0.0.1:8080/hook');
    expect(() => parseConfig(withSecret('http://cases.example.org/hook'))).toThrow(/HOTLINE_WEBHOOK_URL: must be https/);
    expect(() => parseConfig({ HOTLINE_WEBHOOK_URL: 'https://cases.example.org/hook' })).toThrow(/HOTLINE_WEBHOOK_SECRET/);
  });

  it('refuse a staff group without the Telegram bot, and bad hours with a clear line', () => {
    expect(() => parseConfig({ HOTLINE_TELEGRAM_CHAT_ID: '-1001234567890' })).toThrow(/needs TELEGRAM_BOT_TOKEN/);
    expect(() => parseConfig({ HOTLINE_HOURS: 'Mon-Fri 25:00-20:00 Asia/Jakarta' })).toThrow(/HOTLINE_HOURS/);
    expect(parseConfig({ HOTLINE_HOURS: 'Mon-Fri 08:00-20:00 Asia/Jakarta' }).HOTLINE_HOURS?.timeZone).toBe('Asia/Jakarta');
  });
});
