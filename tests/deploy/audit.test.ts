/**
 * `.ci/audit`, the supply-chain gate `.ci/run` runs before the tests, against a fake of the
 * registry's advisory service on loopback (npm is pointed at it with npm_config_registry): it
 * passes on no advisory, fails with npm's report on a high one in a runtime dependency, ignores
 * one below high, and says plainly that it could not check when the service refuses (as the
 * registry proxy of this project's machines does), failing then only with AUDIT_REQUIRED=1.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The fastify installed, which the made-up advisory below names. */
const FASTIFY = (JSON.parse(readFileSync(`${ROOT}node_modules/fastify/package.json`, 'utf8')) as { version: string }).version;

/** What the fake service answers next: a status and a body. */
let answer: { status: number; body: unknown } = { status: 200, body: {} };
const asked: string[] = [];
let server: Server;
let registry: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      asked.push(`${req.method} ${req.url}`);
      if (req.method === 'POST' && req.url === '/-/npm/v1/security/advisories/bulk') {
        // npm sends the list of packages gzipped.
        const raw = Buffer.concat(chunks);
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        const names = Object.keys(JSON.parse(body.toString()) as Record<string, unknown>);
        asked.push(...names.map((n) => `package ${n}`));
      }
      if (req.method === 'GET' && req.url === '/fastify') {
        // npm reads the package's versions to tell which of them an advisory reaches.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ name: 'fastify', 'dist-tags': { latest: FASTIFY }, versions: { [FASTIFY]: { name: 'fastify', version: FASTIFY } } }));
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.status === 405 ? { allow: 'GET,HEAD' } : {}) });
      res.end(answer.status === 405 ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  registry = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Runs `.ci/audit` against the fake; its exit code and everything it printed. */
function audit(env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    // Without the npm_* variables of the npx that runs the tests (they would steer this npm too).
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    // A cache of its own: npm keeps advisories and package versions it has seen, and those of one run would answer the next.
    const cache = mkdtempSync(join(tmpdir(), 'waspada-audit-'));
    const child = spawn('bash', ['.ci/audit'], { cwd: ROOT, env: { ...clean, npm_config_registry: registry, npm_config_cache: cache, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      rmSync(cache, { recursive: true, force: true });
      resolve({ code, out });
    });
  });
}

const advisory = (severity: string) => ({
  fastify: [{ id: 1, url: 'https://example.test/advisory/1', title: 'A made-up advisory for the test', severity, vulnerable_versions: '>=0.0.0', cwe: [], cvss: { score: 0, vectorString: null } }],
});

describe('.ci/audit', () => {
  it('passes when no runtime dependency has an advisory, and asks only about runtime dependencies', async () => {
    answer = { status: 200, body: {} };
    asked.length = 0;
    const { code, out } = await audit();
    expect(out).toContain('npm audit: no runtime dependency with a high or critical advisory');
    expect(code).toBe(0);
    expect(asked).toContain('POST /-/npm/v1/security/advisories/bulk');
    expect(asked).toContain('package fastify');
    expect(asked).not.toContain('package vitest');
  });

  it('fails with the report on a high advisory', async () => {
    answer = { status: 200, body: advisory('high') };
    const { code, out } = await audit();
    expect(code).toBe(1);
    expect(out).toMatch(/fastify/);
    expect(out).toMatch(/high/i);
  });

  it('lets an advisory below high through', async () => {
    answer = { status: 200, body: advisory('moderate') };
    expect((await audit()).code).toBe(0);
  });

  it('says it could not check when the service refuses, and fails then only when the audit is required', async () => {
    answer = { status: 405, body: '' };
    const lenient = await audit();
    expect(lenient.code).toBe(0);
    expect(lenient.out).toMatch(/npm audit: NOT DONE, the advisory service could not be asked \(405 Method Not Allowed/);
    const required = await audit({ AUDIT_REQUIRED: '1' });
    expect(required.code).toBe(1);
  });
});
