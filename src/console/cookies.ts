/**
 * The console's two cookies, read and written by hand (one header each way; no plugin needed).
 * Both are HttpOnly (no script reads them), SameSite=Strict (no other site sends them along) and
 * limited to /console; Secure unless CONSOLE_COOKIES=insecure.
 */

/** The session cookie: a random token; the store keeps only its hash. */
export const SESSION_COOKIE = 'wsp_console';
/** Before sign-in: the double-submit token of the sign-in form (there is no session to hold it yet). */
export const LOGIN_COOKIE = 'wsp_console_login';

/** The cookies of a request, by name (the first one wins, as browsers send the most specific path first). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/** A Set-Cookie value; `maxAgeSeconds: 0` removes the cookie. Values are base64url, so nothing needs quoting. */
export function cookie(name: string, value: string, options: { maxAgeSeconds: number; secure: boolean }): string {
  const parts = [`${name}=${value}`, 'Path=/console', `Max-Age=${options.maxAgeSeconds}`, 'HttpOnly', 'SameSite=Strict'];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
