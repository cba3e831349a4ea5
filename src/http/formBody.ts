/**
 * HTML form bodies (`application/x-www-form-urlencoded`) for the routes of one plugin scope
 * only: the rest of the app keeps accepting JSON alone. A field sent twice is refused rather
 * than guessed at, and the body has its own small limit.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/** Exactly a form, with an optional UTF-8 charset (what browsers send). */
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;\s*charset=utf-8\s*)?$/i;

/** A parsed form: each field once. */
export type FormFields = Record<string, string>;

/** Parses a urlencoded body; throws a 400 AppError for a repeated field. */
export function parseForm(body: string): FormFields {
  const fields: FormFields = Object.create(null) as FormFields;
  for (const [name, value] of new URLSearchParams(body)) {
    if (Object.hasOwn(fields, name)) throw new AppError('BAD_REQUEST', 'A form field was sent more than once.');
    fields[name] = value;
  }
  return fields;
}

/** Makes this scope parse forms and nothing else, up to `bodyLimit` bytes. */
export function acceptFormsOnly(scope: FastifyInstance, bodyLimit: number): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    try {
      done(null, parseForm(String(body)));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

/** Refuses (415) a POST whose content type is not exactly a form, before its body is read. */
export function requireForm(request: FastifyRequest): void {
  if (!FORM_TYPE.test(request.headers['content-type'] ?? '')) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the form as application/x-www-form-urlencoded.');
}
