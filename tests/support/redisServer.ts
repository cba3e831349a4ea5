/**
 * Starts a real redis-server on a free loopback port for a test file, and stops it afterwards.
 * There is no silent skip: without redis-server (and without REDIS_URL for the tests that can
 * use an existing server) the tests fail with a message that says how to install it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createRedisStore, type RedisStore } from '../../src/storage/redis.js';
import { testDataKeys } from './dataKey.js';

export const INSTALL_HINT =
  'redis-server is needed for these tests. Install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`) or set REDIS_URL to a Redis you can flush.';

/** A redis-server started by a test. */
export interface RedisServer {
  url: string;
  port: number;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data folder (the AOF is replayed). */
  restart(): Promise<void>;
  /** Stops it and removes its data folder. */
  stop(): Promise<void>;
  /** Runs a command with redis-cli and returns its output. */
  cli(...args: string[]): string;
}

function findBinary(name: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error(INSTALL_HINT);
  return found;
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPing(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('error', () => resolve(false));
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (d) => {
        socket.destroy();
        resolve(d.toString().startsWith('+PONG'));
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms`);
}

/** Starts redis-server with AOF on (fsync on every write, so a kill loses nothing that was acknowledged). */
export async function startRedis(): Promise<RedisServer> {
  const binary = findBinary('redis-server');
  const cliBinary = findBinary('redis-cli');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'waspada-redis-'));
  let proc: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    proc = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--protected-mode', 'yes'],
      { stdio: 'ignore' },
    );
    await waitForPing(port, 10_000);
  };
  const exited = (p: ChildProcess | undefined) =>
    new Promise<void>((resolve) => (!p || p.exitCode !== null || p.signalCode !== null ? resolve() : p.once('exit', () => resolve())));

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async kill() {
      proc?.kill('SIGKILL');
      await exited(proc);
    },
    restart: launch,
    async stop() {
      proc?.kill('SIGTERM');
      await exited(proc);
      rmSync(dir, { recursive: true, force: true });
    },
    cli(...args) {
      return spawnSync(cliBinary, ['-p', String(port), ...args], { encoding: 'utf8' }).stdout.trim();
    },
  };
}

/** A Redis for tests that do not need to stop it: REDIS_URL when set (flushed first), else a started server. */
export async function testRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv) return { url: fromEnv, stop: async () => undefined };
  const server = await startRedis();
  return { url: server.url, stop: () => server.stop() };
}

/** Waits until the app's /readyz says ready (the store connects in the background). */
export async function untilReady(app: { inject: (o: { method: 'GET'; url: string }) => Promise<{ statusCode: number }> }, timeoutMs = 15_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if ((await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not ready within ${timeoutMs} ms`);
}

/**
 * A started redis-server and a connected Redis store on it, for the current test file: call at
 * the top of a `describe` (or the file) to register the start and the stop.
 */
export function useRedisStore(): { server: () => RedisServer; store: () => RedisStore } {
  let server: RedisServer | undefined;
  let store: RedisStore | undefined;
  beforeAll(async () => {
    server = await startRedis();
    store = createRedisStore({ url: server.url, dataKeys: testDataKeys });
    await store.ready();
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });
  const need = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error('useRedisStore: used before beforeAll ran');
    return x;
  };
  return { server: () => need(server), store: () => need(store) };
}

/** A three-node Redis Cluster on loopback (cluster mode, no replicas), for the cluster contract. */
export async function startRedisCluster(): Promise<{ urls: string[]; stop(): Promise<void> }> {
  const binary = findBinary('redis-server');
  const cliBinary = findBinary('redis-cli');
  const nodes: Array<{ port: number; dir: string; proc: ChildProcess }> = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'waspada-cluster-'));
    const proc = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'], { stdio: 'ignore' });
    nodes.push({ port, dir, proc });
    await waitForPing(port, 10_000);
  }
  const created = spawnSync(cliBinary, ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
  if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stderr || created.stdout}`);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const states = nodes.map((n) => spawnSync(cliBinary, ['-p', String(n.port), 'cluster', 'info'], { encoding: 'utf8' }).stdout);
    if (states.every((s) => s.includes('cluster_state:ok'))) break;
    if (Date.now() > deadline) throw new Error('the Redis Cluster did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    urls: nodes.map((n) => `redis://127.0.0.1:${n.port}`),
    async stop() {
      for (const n of nodes) n.proc.kill('SIGTERM');
      await Promise.all(nodes.map((n) => new Promise<void>((resolve) => (n.proc.exitCode !== null ? resolve() : n.proc.once('exit', () => resolve())))));
      for (const n of nodes) rmSync(n.dir, { recursive: true, force: true });
    },
  };
}
