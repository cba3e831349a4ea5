/**
 * The logger's privacy options on their own, with a real pino logger writing to a capture: the
 * redaction paths, the error serializer (with the errors our dependencies really throw), the
 * request URL, Telegram's descriptions, and the ids of the work in progress.
 */
import { GrammyError, HttpError } from 'grammy';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newJobId, withLogIds } from '../../src/logging/logContext.js';
import { errorFields, loggableUrl, loggerOptions, REDACTED, safeReason } from '../../src/logging/loggerOptions.js';

const PHONE = '6281311224455';
const TEXT = 'paspor saya ditahan majikan di Johor';
const TOKEN = '7000000001:AAHsecret-part_of-the-token';

/** A logger at `trace` with Waspada's options, and the lines it wrote (parsed). */
function capture() {
  const raw: string[] = [];
  const log = pino(loggerOptions('trace'), { write: (line: string) => void raw.push(line) });
  return { log, raw, lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('redaction', () => {
  it('censors personal and secret keys at the top, one and two levels down, and the secret headers', () => {
    const { log, raw, lines } = capture();
    log.info({ text: TEXT, to: PHONE, entry: { userId: PHONE, message: { text: TEXT } }, deep: { a: { chat: PHONE } }, headers: { 'x-hub-signature-256': 'sha256=abc', 'content-type': 'application/json' }, response: { headers: { 'set-cookie': 'wsp_console=s3cret', 'x-telegram-bot-api-secret-token': 'tg-secret' } } }, 'line');
    const [line] = lines();
    expect(line).toMatchObject({
      text: REDACTED,
      to: REDACTED,
      entry: { userId: REDACTED, message: REDACTED },
      deep: { a: { chat: REDACTED } },
      headers: { 'x-hub-signature-256': REDACTED, 'content-type': 'application/json' },
      response: { headers: { 'set-cookie': REDACTED, 'x-telegram-bot-api-secret-token': REDACTED } },
    });
    for (const secret of [PHONE, TEXT, 'sha256=abc', 's3cret', 'tg-secret']) expect(raw.join('')).not.toContain(secret);
  });

  it('censors deeper too, in arrays, without changing the caller’s object', () => {
    const { log, raw, lines } = capture();
    const event = { type: 'report_filed', report: { happened: { text: TEXT } }, list: [{ entry: { to: PHONE } }] };
    log.info({ event }, 'deep');
    expect(lines()[0]).toMatchObject({ event: { type: 'report_filed', report: REDACTED, list: [{ entry: { to: REDACTED } }] } });
    expect(raw.join('')).not.toContain(PHONE);
    expect(event.list[0]?.entry.to).toBe(PHONE);
    expect(event.report.happened.text).toBe(TEXT);
  });

  it('keeps the ids that say nothing about a person', () => {
    const { log, lines } = capture();
    log.info({ case: 'K7M4QX', channel: 'whatsapp', code: 131047, count: 3, level: 'high', reportId: 'RK7M4QX', staff: 'petugas7' }, 'kept');
    expect(lines()[0]).toMatchObject({ case: 'K7M4QX', channel: 'whatsapp', code: 131047, count: 3, reportId: 'RK7M4QX', staff: 'petugas7', msg: 'kept' });
  });
});

describe('errors', () => {
  it('keeps a grammY error’s class and code, never its payload (chat id and text) nor its message', () => {
    const { log, raw, lines } = capture();
    const err = new GrammyError("Call to 'sendMessage' failed! (400: Bad Request: chat not found)", { ok: false, error_code: 400, description: 'Bad Request: chat not found' }, 'sendMessage', { chat_id: 7123450987, text: TEXT });
    log.warn({ err }, 'send failed');
    log.error(err);
    expect(lines()[0]).toMatchObject({ err: { type: 'GrammyError', code: 400 }, msg: 'send failed' });
    // An error logged alone gets its class as the message, not its own message.
    expect(lines()[1]).toMatchObject({ err: { type: 'GrammyError', code: 400 }, msg: 'GrammyError' });
    for (const secret of [TEXT, '7123450987', 'chat not found']) expect(raw.join('')).not.toContain(secret);
  });

  it('never writes the URL with the bot token that a network error carries', () => {
    const { log, raw } = capture();
    const cause = new TypeError(`request to https://api.telegram.org/bot${TOKEN}/sendMessage failed, reason: connect ECONNREFUSED`);
    log.warn({ err: new HttpError("Network request for 'sendMessage' failed!", cause) });
    log.warn({ ...errorFields(new HttpError('x', cause)) }, 'delivery failed');
    expect(raw.join('')).not.toContain('AAHsecret');
    expect(raw.join('')).toContain('"err":"HttpError"');
  });

  it('never writes what a zod error quotes of the input, even from its stack', () => {
    const { log, raw, lines } = capture();
    const parsed = z.object({ phone: z.string().regex(/^x$/, `not a phone: ${PHONE}`) }).safeParse({ phone: PHONE });
    expect(parsed.success).toBe(false);
    log.error({ err: parsed.error }, 'request failed');
    expect(raw.join('')).not.toContain(PHONE.slice(2));
    expect(lines()[0]?.err).toMatchObject({ type: 'ZodError' });
  });

  it('keeps the frames of an error’s stack, without the message line', () => {
    const { log, raw, lines } = capture();
    log.error({ err: new Error(`no session for ${PHONE}`) }, 'request failed');
    expect(raw.join('')).not.toContain(PHONE);
    expect((lines()[0]?.err as { stack: string }).stack).toMatch(/^\s+at .*loggerOptions\.test\.ts/);
  });

  it('shows a request as its method and route, and nothing else logged as `req`', () => {
    const { log, lines } = capture();
    log.info({ req: { method: 'GET', url: '/console/cases/K7M4QX?x=1', params: { id: 'K7M4QX' }, routeOptions: { url: '/console/cases/:id' }, headers: { cookie: 'c' } } });
    log.info({ req: { headers: { cookie: 'c' } } });
    expect(lines().map((l) => l.req)).toEqual([{ method: 'GET', url: '/console/cases/K7M4QX' }, REDACTED]);
  });

  it('gives a failed fetch its cause’s code, an HTTP error its status', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(errorFields(new TypeError('fetch failed', { cause: refused }))).toEqual({ err: 'TypeError', cause: 'ECONNREFUSED' });
    expect(errorFields(Object.assign(new Error('(#131047) Re-engagement message'), { name: 'GraphApiError', code: 131047, httpStatus: 400 }))).toEqual({ err: 'GraphApiError', code: 131047, status: 400 });
    expect(errorFields('GrammyError 403')).toEqual({ err: 'GrammyError 403' });
    expect(errorFields(`could not send to ${PHONE}`)).toEqual({ err: 'error' });
  });
});

describe('the request line', () => {
  const req = (url: string, route?: string, params: Record<string, string> = {}) => ({ url, params, routeOptions: { url: route } });

  it('shows the route, with a case or report number but never a recruiter’s key or a phone number', () => {
    expect(loggableUrl(req('/console/cases/K7M4QX?done=claimed', '/console/cases/:id', { id: 'K7M4QX' }))).toBe('/console/cases/K7M4QX');
    expect(loggableUrl(req('/console/reports/recruiters/phone%3A%2B6282144556677', '/console/reports/recruiters/:key', { key: 'phone:+6282144556677' }))).toBe('/console/reports/recruiters/:key');
    expect(loggableUrl(req('/console/cases/081311224455', '/console/cases/:id', { id: '081311224455' }))).toBe('/console/cases/:id');
    expect(loggableUrl(req(`/webhooks/whatsapp?hub.verify_token=secret`, '/webhooks/whatsapp'))).toBe('/webhooks/whatsapp');
  });

  it('hides long digit runs in a path no route knows', () => {
    expect(loggableUrl(req('/wa/6281311224455/x?token=abc'))).toBe('/wa/#/x');
  });
});

describe('provider descriptions', () => {
  it('keep the kind of refusal, without quoted words or ids', () => {
    expect(safeReason('Bad Request: chat not found')).toBe('Bad Request: chat not found');
    expect(safeReason('Bad Request: can\'t parse entities: unsupported start tag "Siti" at byte offset 1234567')).toBe('Bad Request: can\'t parse entities: unsupported start tag "…" at byte offset #');
  });
});

describe('the ids of the work in progress', () => {
  it('adds the job of background work and the reqId of a request, once', () => {
    const { log, raw, lines } = capture();
    const job = newJobId('reminders');
    expect(job).toMatch(/^reminders:[0-9a-f]{8}$/);
    withLogIds({ job }, () => log.info('in a job'));
    withLogIds({ reqId: 'r-1' }, () => {
      log.info('app logger in a request');
      log.child({ reqId: 'r-1' }).info('request logger');
      log.child({ job: 'store' }).info('own job');
    });
    log.info('outside');
    const [inJob, appLine, requestLine, ownJob, outside] = lines();
    // The request logger's own binding, not a second copy from the work's ids.
    expect(raw[2]?.match(/"reqId"/g)).toHaveLength(1);
    expect(inJob).toMatchObject({ job });
    expect(appLine).toMatchObject({ reqId: 'r-1' });
    expect(requestLine).toMatchObject({ reqId: 'r-1' });
    expect(ownJob).toMatchObject({ job: 'store' });
    expect(ownJob?.reqId).toBeUndefined();
    expect(outside?.reqId).toBeUndefined();
    expect(outside?.job).toBeUndefined();
  });

  it('follows the work through awaits and timers', async () => {
    const { log, lines } = capture();
    await withLogIds({ job: 'outbox:3|1-0' }, async () => {
      await new Promise((r) => setTimeout(r, 5));
      await Promise.resolve().then(() => log.warn('later'));
    });
    expect(lines()[0]).toMatchObject({ job: 'outbox:3|1-0', msg: 'later' });
  });
});
