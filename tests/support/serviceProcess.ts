/**
 * Waspada as production runs it, for the tests of stopping: the service (src/main.ts) or a
 * separate sender (src/worker.ts) as its own process through tsx, on a real Redis and the fake
 * Graph API, and a proxy in front of that fake that can stop answering, as a provider can.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { TEST_DATA_KEY } from './dataKey.js';
import { startFakeGraphApi, type FakeGraphApi } from './fakeGraphApi.js';
import { freePort, startRedis, type RedisServer } from './redisServer.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A started process: its address (the service), how it ended, and what it wrote. */
export interface WaspadaProcess {
  url: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; at: number }>;
  output: () => string;
}

const started: ChildProcess[] = [];

/** The WhatsApp number and app secret of the processes' configuration (sign webhooks with it). */
export const PHONE_ID = '106540352242922';
export const APP_SECRET = 'process-app-secret';

/** What a test file of processes works with: a Redis, the fake Graph API, the proxy in front of it. */
export interface ProcessFixtures {
  redis(): RedisServer;
  graph(): FakeGraphApi;
  proxy(): GraphProxy;
  /** The environment of both processes: this Redis, the data key, WhatsApp against `graphUrl` (the fake unless given), unthrottled. */
  env(graphUrl?: string): Record<string, string>;
}

/**
 * Starts a redis-server, the fake Graph API and the proxy for the current test file (call at its
 * top level), and stops them, and any process a test left running, afterwards.
 */
export function useProcessFixtures(): ProcessFixtures {
  let redis: RedisServer | undefined;
  let graph: FakeGraphApi | undefined;
  let proxy: GraphProxy | undefined;
  beforeAll(async () => {
    redis = await startRedis();
    graph = await startFakeGraphApi({ token: 'process-access-token', phoneNumberId: PHONE_ID });
    proxy = await startGraphProxy(graph.url);
  });
  afterAll(async () => {
    for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await proxy?.close();
    await graph?.close();
    await redis?.stop();
  });
  const need = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error('useProcessFixtures: used before beforeAll ran');
    return x;
  };
  return {
    redis: () => need(redis),
    graph: () => need(graph),
    proxy: () => need(proxy),
    env: (graphUrl) => whatsappEnv(need(redis).url, graphUrl ?? need(graph).url, need(graph).token),
  };
}

function whatsappEnv(redisUrl: string, graphUrl: string, token: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    REDIS_URL: redisUrl,
    DATA_KEY: TEST_DATA_KEY,
    WHATSAPP_ACCESS_TOKEN: token,
    WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'process-verify-token',
    WHATSAPP_GRAPH_URL: graphUrl,
    // The fake does not throttle; the default pace would stretch the tests.
    WHATSAPP_MPS: '100000',
    // What a stopped sender left claimed is taken over within seconds, not the default 30.
    OUTBOX_RECLAIM_SECONDS: '3',
  };
}

/**
 * Starts `script` (`src/main.ts` or `src/worker.ts`) with `env` (and PATH) and waits until it is
 * ready: the service's /readyz answers, or the sender has logged that it started.
 */
export async function startProcess(script: 'src/main.ts' | 'src/worker.ts', env: Record<string, string>): Promise<WaspadaProcess> {
  const port = await freePort();
  const service = script === 'src/main.ts';
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: service ? 'warn' : 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
  const url = `http://127.0.0.1:${port}`;
  const ready = service ? () => fetch(`${url}/readyz`).then((r) => r.ok, () => false) : async () => output.includes('sender started');
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}: ${output}`);
    if (await ready()) break;
    if (Date.now() > deadline) throw new Error(`${script} was not ready within 30 s: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child, exited, output: () => output };
}

/** A loopback proxy in front of the fake Graph API that can hang every send, as an unresponsive provider does. */
export interface GraphProxy {
  url: string;
  /** While on, sends get no answer and never reach the fake (as with a provider that is down); off, the held ones are dropped. */
  hang(on: boolean): void;
  close(): Promise<void>;
}

/** Starts the proxy on a free loopback port, passing everything on to `target`. */
export async function startGraphProxy(target: string): Promise<GraphProxy> {
  let hanging = false;
  const held: ServerResponse[] = [];
  const forward = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const answer = await fetch(`${target}${req.url ?? ''}`, { method: req.method ?? 'POST', headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' }, body });
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(Buffer.from(await answer.arrayBuffer()));
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (hanging) held.push(res);
      else void forward(req, res, Buffer.concat(chunks)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    hang(on) {
      hanging = on;
      if (!on) for (const res of held.splice(0)) res.destroy();
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
