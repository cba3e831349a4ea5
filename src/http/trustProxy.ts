/**
 * Which reverse proxies may tell the app a client's address (TRUST_PROXY, Fastify's
 * `trustProxy`). Behind a proxy every connection comes from the proxy, so without this setting
 * `request.ip` is the proxy's address for everyone: the per-address limits (ipLimits.ts) become
 * one limit for the whole world and the console's lock per name and address (console/auth.ts) a
 * lock per name. With it, `request.ip` is the last address in `X-Forwarded-For` that a trusted
 * proxy did not add, so a client cannot choose its own by sending the header itself.
 *
 * Only addresses are accepted: proxy addresses, CIDR ranges, and proxy-addr's names for the
 * private ranges. Not `true` (every hop trusted: the client's own header wins) and not a number
 * of hops (Fastify 5.12 trusts nothing with one, since the connection's own peer cannot be
 * checked: a client reaching the port directly could claim any address).
 */
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/** proxy-addr's names for address ranges (loopback 127.0.0.0/8 and ::1, linklocal, uniquelocal: 10/8, 172.16/12, 192.168/16, fc00::/7). */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Why one entry of TRUST_PROXY is refused, or undefined when it is an address, a range or a range's name. */
export function trustEntryProblem(entry: string): string | undefined {
  if (RANGE_NAMES.has(entry)) return undefined;
  if (/^(true|\*|all)$/i.test(entry)) return `"${entry}" would trust every address, so any client could pick its own; name the proxies' addresses`;
  if (/^\d+$/.test(entry)) return 'a number of hops is not accepted (anyone reaching the port directly could claim any address); name the proxies\' addresses';
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return `"${entry}" is not an address, a CIDR range, loopback, linklocal or uniquelocal`;
  if (prefix === undefined) return undefined;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!(bits >= 1 && bits <= (family === 4 ? 32 : 128))) return `"${entry}": the prefix must be 1 to ${family === 4 ? 32 : 128}`;
  return undefined;
}

/** TRUST_PROXY: a comma list of the proxies' addresses, CIDR ranges or range names. */
export const TrustProxySchema = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .superRefine((entries, ctx) => {
    if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'must name at least one proxy address' });
    for (const entry of entries) {
      const problem = trustEntryProblem(entry);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
  });

/**
 * Without TRUST_PROXY, warns once when a request carries X-Forwarded-For: the app is probably
 * behind a proxy that nobody told it about, and then every client shares one address.
 */
export function warnOfUntrustedProxy(app: FastifyInstance): void {
  let warned = false;
  app.addHook('onRequest', (request, _reply, done) => {
    if (!warned && request.headers['x-forwarded-for'] !== undefined) {
      warned = true;
      request.log.warn('a request came with X-Forwarded-For but TRUST_PROXY is not set: if a reverse proxy is in front, every client now shares its address (and its limits); set TRUST_PROXY to the proxy\'s address');
    }
    done();
  });
}
