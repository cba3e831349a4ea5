/**
 * `POST /api/v1/assess`: the public ad check. A text in, the level, the signs with the words of
 * the text that show them, and the advice of the chat's result out. Public, so: rate-limited per
 * client address (shared by every instance), CORS for partner sites, and it keeps nothing — no
 * store write but the client's pace, and no text in the logs (only how long it was).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { K } from '../engine/keys.js';
import type { Translator } from '../i18n/translator.js';
import type { AdAnalysis } from '../risk/adAnalyser.js';
import type { Sign } from '../risk/signs.js';
import { AppError, ERRORS, errorBody } from '../errors.js';
import { corsFor } from './cors.js';
import type { LimitHook } from './ipLimits.js';
import { requireJson } from './requireJson.js';
import { describeIssue } from './validation.js';

/** Longest text checked (in UTF-16 code units, as a textarea's maxlength counts). */
export const ASSESS_MAX_CHARS = 10_000;

/**
 * Largest body: 10,000 characters sent with every one escaped (`\uXXXX`, 6 bytes; Python's
 * json.dumps does it by default) still fit, so a text of allowed length always gets past the
 * body limit to the clearer error about its length.
 */
export const ASSESS_BODY_LIMIT_BYTES = 64 * 1024;

const URL = '/api/v1/assess';

/** The request; `lang` is checked against the languages of locales/ when the route is made. */
function requestSchema(langs: readonly string[]) {
  return z.object({
    text: z
      .string()
      .max(ASSESS_MAX_CHARS, `must be at most ${ASSESS_MAX_CHARS} characters`)
      .refine((t) => t.trim() !== '', 'must not be empty'),
    lang: z
      .string()
      .refine((l) => langs.includes(l), `must be one of ${langs.join(', ')}`)
      .optional(),
  });
}

/** The answer: the level, each sign with its evidence, and the advice in the person's language. */
export interface AssessAnswer {
  level: AdAnalysis['level'];
  signs: Array<{ id: string; severity: string; evidence: string }>;
  /** The chat's result paragraph by paragraph: the line for the level, then one per sign (in the order of `signs`). */
  advice: string[];
}

/** The locale keys of a sign, by its id. */
type SignKeys = ReadonlyMap<string, Pick<Sign, 'title' | 'why' | 'safe'>>;

/** Turns an analysis into the API's answer, worded as the chat words a result. */
export function toAssessAnswer(t: Translator, lang: string, analysis: AdAnalysis, signs: SignKeys): AssessAnswer {
  // The chat's line for a low level speaks of the person's answers; here it is a text.
  const levelKey = analysis.level === 'low' ? K.assessLevelLow : K.resultLevel[analysis.level];
  const advice = [t.t(lang, levelKey, { count: analysis.signs.length })];
  for (const s of analysis.signs) {
    const keys = signs.get(s.id);
    if (keys) advice.push(t.t(lang, K.resultSign, { severity: s.severity, title: t.t(lang, keys.title), why: t.t(lang, keys.why), safe: t.t(lang, keys.safe) }));
  }
  return { level: analysis.level, signs: analysis.signs.map((s) => ({ id: s.id, severity: s.severity, evidence: s.evidence })), advice };
}

/** How long a text was, in a few coarse steps: enough to see what people send, never what. */
export function lengthBucket(chars: number): string {
  if (chars < 200) return '<200';
  if (chars < 1000) return '200-999';
  if (chars < 5000) return '1000-4999';
  return '5000+';
}

/** Registers the route and its CORS preflight. */
export function registerAssessRoutes(
  app: FastifyInstance,
  deps: {
    analyse: (text: string) => AdAnalysis;
    /** The signs catalogue (flows/signs.yaml), for each sign's title, why and safe way. */
    signs: ReadonlyArray<Pick<Sign, 'id' | 'title' | 'why' | 'safe'>>;
    t: Translator;
    /** The per-address limit (src/http/ipLimits.ts). */
    limit: LimitHook;
    corsOrigins: readonly string[];
  },
): void {
  const Schema = requestSchema(deps.t.langs);
  const signs: SignKeys = new Map(deps.signs.map((s) => [s.id, s]));
  const cors = corsFor(deps.corsOrigins, ['POST']);

  app.options(URL, cors.preflight);
  app.post(
    URL,
    {
      bodyLimit: ASSESS_BODY_LIMIT_BYTES,
      // CORS first, so that every refusal below is readable by a partner's page; then the
      // per-address limit, before the body is even read: a flood costs one store read a request.
      // While the store is away the check answers without a limit (it keeps nothing).
      onRequest: [cors.onRequest, deps.limit, requireJson],
    },
    async (request, reply) => {
      const parsed = Schema.safeParse(request.body);
      if (!parsed.success) throw new AppError('BAD_REQUEST', describeIssue(parsed.error));
      const { text, lang = deps.t.defaultLang } = parsed.data;
      const analysis = deps.analyse(text);
      // `risk`, not `level`: pino's own field for the log level is called that.
      request.log.info({ chars: lengthBucket(text.length), risk: analysis.level, signs: analysis.signs.length }, 'ad checked');
      // The answer quotes the text: no cache along the way keeps it.
      reply.header('cache-control', 'no-store');
      return toAssessAnswer(deps.t, lang, analysis, signs);
    },
  );
  // Any other method on the path: 405 rather than 404, the path exists.
  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: URL,
    handler: async (_request, reply) => reply.code(405).header('allow', 'POST, OPTIONS').send(errorBody(ERRORS.METHOD_NOT_ALLOWED.code, ERRORS.METHOD_NOT_ALLOWED.message)),
  });
}
