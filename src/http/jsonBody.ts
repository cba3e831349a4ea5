/**
 * JSON bodies are UTF-8 (RFC 8259 §8.1). Fastify's own parser, like `Buffer#toString`, reads a
 * byte that is not UTF-8 as U+FFFD without a word: a body that is no JSON text was parsed, and a
 * replacement character nobody wrote went into the person's session (found by the fuzz tests).
 * Here such a body is refused like any other invalid JSON, with a 400, before it is read.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a body, or undefined when it is not valid UTF-8 (a leading byte order mark is dropped, which JSON parsers may do). */
export function decodeUtf8(body: Buffer): string | undefined {
  try {
    return utf8.decode(body);
  } catch {
    return undefined;
  }
}

/** The error for a body that is not JSON. */
export function notJson(): AppError {
  return new AppError('BAD_REQUEST', 'The body is not valid JSON.');
}

/** Replaces Fastify's JSON parser with one that refuses a body that is not UTF-8, then parses as Fastify does (prototype keys refused). */
export function registerJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const text = decodeUtf8(body as Buffer);
    if (text === undefined) done(notJson(), undefined);
    else parse(request, text, done);
  });
}
