/**
 * Security headers on every answer, with @fastify/helmet, in one place. Three policies:
 * - the API, the webhooks and everything else that is no page: nothing may load or frame it
 *   (`default-src 'none'`);
 * - the web chat pages (`/`, `/cek` and their files): their own scripts, styles, images and
 *   fetches only, no inline code, framed only by this site, no form posts (the pages send with
 *   fetch);
 * - the staff console: the same, but forms may post to the console and no site may frame it.
 * No policy allows 'unsafe-inline' or 'unsafe-eval'; the pages keep every script and style in
 * their own files. `upgrade-insecure-requests` is left out: a trial over http on localhost would
 * then ask for https. HSTS is sent (browsers heed it only over https) without includeSubDomains,
 * which is the deployer's decision about their other hosts.
 */
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

const NONE = ["'none'"];
const SELF = ["'self'"];

/** Everything that is not a page. */
const API = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: NONE, frameAncestors: NONE, baseUri: NONE, formAction: NONE } },
  strictTransportSecurity: { maxAge: 365 * 24 * 60 * 60, includeSubDomains: false },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
} satisfies FastifyHelmetOptions;

/** A page's CSP: its own scripts, styles, images and fetches only; who may frame it and where its forms may post vary. */
function pageCsp(frameAncestors: string[], formAction: string[]) {
  return {
    useDefaults: false,
    directives: { defaultSrc: NONE, scriptSrc: SELF, styleSrc: SELF, imgSrc: SELF, connectSrc: SELF, frameAncestors, baseUri: NONE, formAction },
  };
}

/** The web chat page, /cek and their files: framed by this site only, no form posts (they send with fetch). */
export const WEB_PAGE_HEADERS = { ...API, contentSecurityPolicy: pageCsp(SELF, NONE), frameguard: { action: 'sameorigin' } } satisfies FastifyHelmetOptions;

/** The staff console's pages, assets and JSON: never framed, forms post to the console. */
export const CONSOLE_HEADERS = {
  ...API,
  contentSecurityPolicy: pageCsp(NONE, SELF),
  // Not no-referrer: with it, browsers send `Origin: null` on form posts and the console's origin check could not tell.
  referrerPolicy: { policy: 'same-origin' },
} satisfies FastifyHelmetOptions;

/** Registers helmet with the API policy for every route; pages name theirs in their route options. */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, { global: true, ...API });
}
