/**
 * `GET /` and its assets: the web chat page from `src/channels/web/public/`, and the other pages
 * there at their name without `.html` (`cek.html` at `/cek`, the public ad check). The few files are
 * read once at start-up and served from memory; no directory listing, no path from the request
 * ever reaches the file system. Their security headers and CSP come from securityHeaders.ts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { WEB_PAGE_HEADERS } from './securityHeaders.js';

const PUBLIC_DIR = fileURLToPath(new URL('../../src/channels/web/public/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Registers the page and its assets. */
export function registerWebChatPage(app: FastifyInstance, publicDir = PUBLIC_DIR): void {
  for (const file of readdirSync(publicDir)) {
    const type = TYPES[extname(file)];
    if (!type) continue;
    const body = readFileSync(join(publicDir, file));
    const url = file === 'index.html' ? '/' : extname(file) === '.html' ? `/${basename(file, '.html')}` : `/${file}`;
    // The page loads only its own files and talks only to this server (securityHeaders.ts).
    app.get(url, { helmet: WEB_PAGE_HEADERS }, async (_request, reply) => reply.type(type).header('cache-control', 'no-cache').send(body));
  }
}
