/** A route hook that accepts only `application/json` bodies (with an optional charset). */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

const JSON_TYPE = /^application\/json\s*(;\s*charset=utf-8\s*)?$/i;

/** Rejects any other content type with 415 before the body is parsed. */
export async function requireJson(request: FastifyRequest): Promise<void> {
  if (!JSON_TYPE.test(request.headers['content-type'] ?? '')) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
}
