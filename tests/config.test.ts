import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CONFIG_VARIABLES, ConfigError, parseConfig } from '../src/config.js';

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

describe('data protection settings', () => {
  const KEY = Buffer.alloc(32, 1).toString('base64');
  const OTHER = Buffer.alloc(32, 2).toString('base64');

  it('keep the retention of PRIVACY.md by default', () => {
    expect(parseConfig({})).toMatchObject({ SESSION_RETENTION_HOURS: 24, CASE_RETENTION_DAYS: 180, REPORT_RETENTION_DAYS: 730, IDEMPOTENCY_RETENTION_DAYS: 7 });
  });

  it('refuse Redis without DATA_KEY, saying how to make one, and take a well-formed key', () => {
    expect(() => parseConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/^Invalid configuration: DATA_KEY: needed with Redis.*openssl rand -base64 32/);
    expect(() => parseConfig({ REDIS_CLUSTER_NODES: 'redis://127.0.0.1:7000' })).toThrow(/DATA_KEY: needed with Redis/);
    expect(parseConfig({ REDIS_URL: 'redis://127.0.0.1:6379', DATA_KEY: KEY }).DATA_KEY).toBe(KEY);
  });

  it('refuse a key that is not 32 bytes of base64, without echoing it', () => {
    for (const bad of [Buffer.alloc(16, 1).toString('base64'), 'correct horse battery staple', `${KEY}x`]) {
      let message = '';
      try {
        parseConfig({ DATA_KEY: bad });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/^Invalid configuration: DATA_KEY: must be 32 bytes in base64/);
      expect(message).not.toContain(bad);
    }
  });

  it('take DATA_KEY_PREVIOUS only as an old key beside a new one', () => {
    expect(parseConfig({ DATA_KEY: KEY, DATA_KEY_PREVIOUS: OTHER }).DATA_KEY_PREVIOUS).toBe(OTHER);
    expect(() => parseConfig({ DATA_KEY_PREVIOUS: OTHER })).toThrow(/DATA_KEY_PREVIOUS: must be the old key/);
    expect(() => parseConfig({ DATA_KEY: KEY, DATA_KEY_PREVIOUS: KEY })).toThrow(/DATA_KEY_PREVIOUS: must be the old key/);
  });
});

describe('documentation', () => {
  it('names every variable of the schema in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(CONFIG_VARIABLES.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});
