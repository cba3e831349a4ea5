/**
 * pino's options for every Waspada logger (Fastify's in app.ts, the separate sender's in
 * worker.ts). No message text, phone number, user or chat id, name, token, cookie, signature or
 * secret may reach a log line, at any level (README, "What is logged"). Call sites log only ids
 * that say nothing about a person (codes, counts, levels, case ids, lengths); these options are
 * the net under them:
 *
 * - `redact`: the keys that would hold personal content or a secret are censored at the top of a
 *   line's object (a `text`, a `to`) and in request and response headers; the `log` formatter
 *   censors the same keys further down (an `entry.to`, an `event.report.text`). pino's wildcard
 *   paths (`*.text`) would do that too, but cost about 36 µs a line, against 0.8 µs for all of
 *   these options and 0.5 µs for none (pino 10, Node 20, a three-field line): every line of every
 *   request would pay it.
 * - The `err` serializer keeps an error's class, its codes and its stack frames, never its message
 *   nor its other fields: a zod error quotes the input, a grammY error carries the request's
 *   payload (chat id and text), a Graph API error its raw answer, a fetch error a URL with a token.
 * - A line logged with an error and no message of its own gets the error's class as its message
 *   (pino would use the error's message).
 * - The `req` serializer gives the method and the route; a path parameter appears only when it
 *   is a case or report number (a recruiter's key in the console's URL is a phone number).
 * - The mixin adds the request id or the background job id of the work in progress (logContext.ts).
 */
import type { FastifyRequest } from 'fastify';
import pino, { type LoggerOptions } from 'pino';
import { currentLogIds } from './logContext.js';

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Keys whose values are personal or secret wherever they appear: content (what a person or staff
 * wrote, a report, a case summary), identities (addresses, ids, names, the web chat's session),
 * and secrets. A log line names what happened with other keys (`case`, `channel`, `code`, `count`…).
 */
const SENSITIVE_KEYS = [
  // Content.
  'text', 'body', 'caption', 'message', 'messages', 'input', 'answers', 'summary', 'report', 'recruiter', 'contact', 'contacts', 'happened', 'profile', 'timeline', 'payload',
  // Who: addresses, ids, names.
  'to', 'from', 'person', 'userId', 'user_id', 'from_user_id', 'wa_id', 'phone', 'chat', 'chatId', 'chat_id', 'recipient', 'name', 'first_name', 'last_name', 'username', 'displayName', 'session', 'ip', 'remoteAddress',
  // Secrets.
  'token', 'accessToken', 'access_token', 'secret', 'password', 'authorization', 'cookie', 'signature', 'key',
];

/** Headers that carry a secret: hyphenated names need brackets in a redact path. */
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-hub-signature-256', 'x-telegram-bot-api-secret-token', 'x-waspada-signature'];

/** pino's redact paths: each key at the top of a line; the secret headers of a request, a response or `headers`. */
export const REDACT_PATHS: string[] = [
  ...SENSITIVE_KEYS,
  ...SECRET_HEADERS.flatMap((h) => [`headers["${h}"]`, `req.headers["${h}"]`, `res.headers["${h}"]`]),
];

const CENSORED_BELOW = new Set<string>([...SENSITIVE_KEYS, ...SECRET_HEADERS]);
/** How far down the formatter looks (a line's objects are small; anything deeper is a mistake to fix at the call site). */
const MAX_DEPTH = 5;

/** Plain data (an object literal, an array): a request, a reply or an error is left to its serializer. */
function isPlainData(value: unknown): value is Record<string, unknown> | unknown[] {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `value` with every sensitive key below it censored; copied only where something changes (the caller's object stays as it was). */
function censorBelow(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH || !isPlainData(value)) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const censored = censorBelow(item, depth + 1);
      if (censored !== item) (copy ??= [...value])[i] = censored;
    });
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = value[key];
    const censored = CENSORED_BELOW.has(key) && item !== undefined ? REDACTED : censorBelow(item, depth + 1);
    if (censored !== item) (copy ??= { ...value })[key] = censored;
  }
  return copy ?? value;
}

/** The `log` formatter: the sensitive keys below the top of a line (the top is pino's `redact`). */
function censorNested(obj: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(obj)) {
    const item = obj[key];
    if (!isPlainData(item)) continue;
    const censored = censorBelow(item, 1);
    if (censored !== item) (copy ??= { ...obj })[key] = censored;
  }
  return copy ?? obj;
}

/** A route parameter shown in the log: a case or report number (`/console/cases/:id`). */
const SHOWN_PARAMS = new Set(['id']);
/** What a case or report number looks like; anything else (a long run of digits) is not shown. */
const ID_LIKE = /^[A-Za-z0-9]{1,12}$/;
const LONG_DIGITS = /\d{5,}/g;

/** The path of a request as the log shows it: the route, with only case and report numbers filled in. */
export function loggableUrl(req: { url: string; routeOptions?: { url?: string | undefined }; params?: unknown }): string {
  const pattern = req.routeOptions?.url;
  // No route (a 404): the path without its query, long digit runs hidden (someone may probe with a number).
  if (!pattern) return req.url.split('?')[0]?.replace(LONG_DIGITS, '#').slice(0, 120) ?? '';
  const params = (req.params ?? {}) as Record<string, unknown>;
  return pattern.replace(/:(\w+)/g, (whole, name: string) => {
    const value = params[name];
    return SHOWN_PARAMS.has(name) && typeof value === 'string' && ID_LIKE.test(value) && !/\d{5}/.test(value) ? value : whole;
  });
}

/** A code worth logging: a number, or a constant-like string (`ECONNREFUSED`, `FST_ERR_CTP_BODY_TOO_LARGE`). */
function codeOf(value: unknown): number | string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(value)) return value;
  return undefined;
}

/** What the log keeps of an error: its class, its codes (Telegram's, Meta's, Node's, an HTTP status), never its message. */
export function errorFields(err: unknown): { err: string; code?: number | string; status?: number; cause?: string } {
  if (!(err instanceof Error)) return { err: typeof err === 'string' && /^[A-Za-z][\w.]{0,60}( \d{3})?$/.test(err) ? err : 'error' };
  const e = err as Error & Record<string, unknown>;
  const code = codeOf(e.error_code) ?? codeOf(e.code);
  const status = [e.httpStatus, e.status, e.statusCode].find((s): s is number => typeof s === 'number');
  // A failed fetch says only "fetch failed"; the reason (ECONNREFUSED, a timeout) is in its cause.
  const cause = e.cause instanceof Error ? (codeOf((e.cause as Error & { code?: unknown }).code) ?? e.cause.name) : undefined;
  return { err: err.name, ...(code !== undefined ? { code } : {}), ...(status !== undefined ? { status } : {}), ...(cause !== undefined ? { cause: String(cause) } : {}) };
}

/**
 * A provider's description of a refusal (Telegram's "Bad Request: chat not found"), fit for the
 * log: quoted parts and long digit runs hidden (they could be an id or words of a message), short.
 */
export function safeReason(description: string): string {
  return description.replace(/(["'“‘`]).*?\1/g, '"…"').replace(LONG_DIGITS, '#').slice(0, 120);
}

/** The `err` serializer: the class, the codes, and the stack's frames without the message line. */
function serializeError(err: unknown): unknown {
  if (err instanceof Error) {
    const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 12);
    const { err: type, ...codes } = errorFields(err);
    return { type, ...codes, ...(frames.length > 0 ? { stack: frames.join('\n') } : {}) };
  }
  // A call site that already reduced the error to its class name.
  if (typeof err === 'string') return errorFields(err).err;
  const type = err && typeof err === 'object' && typeof (err as { type?: unknown }).type === 'string' ? (err as { type: string }).type : 'error';
  return { type: errorFields(type).err };
}

/** Where pino keeps a logger's bindings, serialised (`,"reqId":"…"`). */
const CHINDINGS = pino.symbols.chindingsSym;

/**
 * The ids of the work in progress for a line, unless the logger was made with ids of its own: a
 * request's logger has its reqId (its lines are about that request, whatever context it runs in),
 * and a logger made with `child({ job })` keeps that job.
 */
function addLogIds(_obj: object, _level: number, logger: object): object {
  const ids = currentLogIds();
  if (!ids) return {};
  const bound = (logger as Record<symbol, unknown>)[CHINDINGS];
  if (typeof bound === 'string' && (bound.includes('"reqId":') || bound.includes('"job":'))) return {};
  // A fresh object every time (pino merges the line's own fields into it), built without spreads:
  // those made the mixin cost 2.5 µs a line instead of 0.1.
  const fields: { reqId?: string; job?: string } = {};
  if (ids.reqId) fields.reqId = ids.reqId;
  if (ids.job) fields.job = ids.job;
  return fields;
}

/** pino's options for a Waspada logger at `level`, writing to `stream` when given (tests read it). */
export function loggerOptions(level: string, stream?: { write(line: string): void }): LoggerOptions & { stream?: { write(line: string): void } } {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    formatters: { log: censorNested },
    serializers: {
      err: serializeError,
      // Anything else logged as `req` is not shown.
      req: (req: FastifyRequest) => (typeof req?.url === 'string' ? { method: req.method, url: loggableUrl(req) } : REDACTED),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    mixin: addLogIds,
    hooks: {
      // `log.error(err)` and `log.warn({ err })` without a message: pino would use the error's message.
      logMethod(args, method) {
        const [first, second] = args as unknown[];
        if (first instanceof Error) return method.apply(this, [{ err: first }, typeof second === 'string' ? second : first.name]);
        if (first && typeof first === 'object' && 'err' in first && typeof second !== 'string') {
          return method.apply(this, [first, errorFields((first as { err: unknown }).err).err]);
        }
        return method.apply(this, args);
      },
    },
    ...(stream ? { stream } : {}),
  };
}
