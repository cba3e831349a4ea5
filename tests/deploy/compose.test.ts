/**
 * No Docker engine runs here, so the deployment is checked by reading its files: `.env.example`
 * documents every variable of the config schema (and no other), `docker-compose.yml` passes each
 * one to every container built from the Dockerfile, Redis keeps its data, and the example, as
 * compose hands it to the app, is a configuration the app accepts. The variables are read from
 * the schema, so a new one fails here until both files have it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, parseConfig } from '../../src/config.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** A well-formed key for the test only: what an operator pastes from `openssl rand -base64 32`. */
const TEST_DATA_KEY = Buffer.alloc(32, 7).toString('base64');
/** Variables that hold a secret: the example must leave them empty. */
const SECRET = /TOKEN|SECRET|PASSWORD|(^|_)KEY($|_)/;

interface ExampleVariable {
  name: string;
  value: string;
  /** The comment line right above it. */
  comment: string | undefined;
}

/** The variables of `.env.example`, each with its value and the comment above it. */
function readExample(): ExampleVariable[] {
  const lines = readFileSync(join(ROOT, '.env.example'), 'utf8').split('\n');
  return lines.flatMap((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return [];
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m?.[1]) throw new Error(`.env.example line ${i + 1} is neither a comment nor NAME=value`);
    const above = lines[i - 1] ?? '';
    const comment = above.startsWith('# ') && !above.startsWith('# ---') ? above.slice(2).trim() : undefined;
    return [{ name: m[1], value: m[2] ?? '', comment }];
  });
}

interface Service {
  build?: unknown;
  image?: string;
  profiles?: string[];
  command?: string | string[];
  environment?: Record<string, string | number | null> | string[];
  ports?: string[];
  init?: boolean;
  volumes?: string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  stop_grace_period?: string;
}

interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** docker-compose.yml as compose reads it (`<<` merges the shared block into each service). */
function readCompose(): Compose {
  return parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose;
}

/** A service's environment as a map, whichever of compose's two forms it is written in. */
function environmentOf(s: Service): Record<string, string> {
  const env = s.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Compose's interpolation of `${NAME}`, `${NAME:-default}` and `${NAME-default}` from the .env values. */
function interpolate(value: string, dotenv: Record<string, string>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g, (_, name: string, op: string | undefined, fallback: string | undefined) => {
    const v = dotenv[name];
    if (op === ':-') return v === undefined || v === '' ? (fallback ?? '') : v;
    if (op === '-') return v ?? fallback ?? '';
    return v ?? '';
  });
}

/** The containers built from the Dockerfile: the app instances and the separate senders. */
function waspadaServices(compose: Compose): [string, Service][] {
  return Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
}

/** The command's words, whichever form it is written in. */
function words(command: string | string[] | undefined): string[] {
  if (command === undefined) return [];
  return Array.isArray(command) ? command : command.split(/\s+/).filter(Boolean);
}

/** What the containers see when .env is a copy of the example with the required values filled in. */
function filledExample(): Record<string, string> {
  const dotenv = Object.fromEntries(readExample().map((v) => [v.name, v.value]));
  return { ...dotenv, DATA_KEY: TEST_DATA_KEY };
}

function containerEnvironment(s: Service, dotenv: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(environmentOf(s)).map(([k, v]) => [k, interpolate(v, dotenv)]));
}

describe('.env.example', () => {
  const example = readExample();
  const names = example.map((v) => v.name);

  it('lists every variable of the config schema, once, and nothing else', () => {
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(40);
    const missing = CONFIG_VARIABLES.filter((n) => !names.includes(n));
    expect(missing, 'in src/config.ts but not in .env.example').toEqual([]);
    const unknown = names.filter((n) => !(CONFIG_VARIABLES as readonly string[]).includes(n));
    expect(unknown, 'in .env.example but unknown to src/config.ts').toEqual([]);
    expect(names.filter((n, i) => names.indexOf(n) !== i), 'listed twice').toEqual([]);
  });

  it('says in a comment line right above each variable what it does', () => {
    const bare = example.filter((v) => !v.comment || v.comment.length < 15).map((v) => v.name);
    expect(bare).toEqual([]);
  });

  it('keeps every variable active, so compose passes it (no commented-out NAME=value)', () => {
    const commented = readFileSync(join(ROOT, '.env.example'), 'utf8').split('\n').filter((l) => /^#\s*[A-Z][A-Z0-9_]*=/.test(l));
    expect(commented).toEqual([]);
  });

  it('ships no secret: every token, secret and key is empty', () => {
    const filled = example.filter((v) => SECRET.test(v.name) && v.value !== '').map((v) => v.name);
    expect(example.filter((v) => SECRET.test(v.name)).length).toBeGreaterThanOrEqual(8);
    expect(filled).toEqual([]);
  });

  it('tells how to make DATA_KEY', () => {
    const dataKey = example.find((v) => v.name === 'DATA_KEY');
    expect(dataKey?.value).toBe('');
    expect(dataKey?.comment).toContain('openssl rand -base64 32');
  });
});

describe('docker-compose.yml', () => {
  const compose = readCompose();
  const services = waspadaServices(compose);

  it('builds the app from the Dockerfile and runs only commands that the build produces', () => {
    expect(services.map(([name]) => name)).toContain('app');
    for (const [name, s] of services) {
      const script = words(s.command).find((w) => /^dist\/.+\.js$/.test(w));
      if (script) expect(existsSync(join(ROOT, script.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'))), `${name}: ${script}`).toBe(true);
    }
  });

  it('passes every variable of the config schema through from .env to every container of the app', () => {
    for (const [name, s] of services) {
      const env = environmentOf(s);
      for (const variable of CONFIG_VARIABLES) {
        expect(env[variable], `${name}: ${variable}`).toMatch(new RegExp(`^\\$\\{${variable}(:?-[^}]*)?\\}$`));
      }
      const stray = Object.keys(env).filter((k) => !(CONFIG_VARIABLES as readonly string[]).includes(k));
      expect(stray, `${name}: not in the config schema`).toEqual([]);
    }
  });

  it('runs Redis 7 with the append-only file (fsync every second) on a named volume, with a health check', () => {
    const redis = compose.services.redis;
    expect(redis?.image).toMatch(/^redis:7([.-]|$)/);
    const args = words(redis?.command).join(' ');
    expect(args).toMatch(/--appendonly yes\b/);
    expect(args).toMatch(/--appendfsync everysec\b/);
    const data = (redis?.volumes ?? []).map((v) => v.split(':')).find(([, target]) => target === '/data');
    expect(data?.[0], 'a volume on /data').toBeDefined();
    expect(Object.keys(compose.volumes ?? {}), 'the /data volume is a named volume').toContain(data?.[0]);
    expect(words(redis?.healthcheck?.test).join(' ')).toContain('redis-cli ping');
    expect(redis?.profiles).toBeUndefined();
  });

  it('gives a stopping container more time than the app takes to finish what is in flight', () => {
    const dotenv = filledExample();
    for (const [name, s] of services) {
      const grace = /^(\d+)s$/.exec(s.stop_grace_period ?? '');
      expect(grace, `${name}: stop_grace_period in seconds`).not.toBeNull();
      const timeout: unknown = (parseConfig(containerEnvironment(s, dotenv)) as Record<string, unknown>).SHUTDOWN_TIMEOUT_SECONDS;
      if (typeof timeout === 'number') expect(Number(grace?.[1]), name).toBeGreaterThan(timeout);
    }
  });

  it('starts every container of the app once Redis is healthy', () => {
    for (const [name, s] of services) {
      expect(Array.isArray(s.depends_on) ? undefined : s.depends_on?.redis?.condition, name).toBe('service_healthy');
    }
  });

  it('publishes the app on loopback only, and runs each container under an init that passes signals on', () => {
    for (const [name, s] of services) {
      for (const port of s.ports ?? []) expect(port, `${name}: ${port}`).toMatch(/^127\.0\.0\.1:/);
      expect(s.init, name).toBe(true);
    }
  });

  it('keeps the health check of the image on every container of the app: the separate senders answer /healthz too', () => {
    for (const [name, s] of services) expect(s.healthcheck?.disable, name).not.toBe(true);
  });

  it('runs the app by default and a second app instance only under a profile', () => {
    expect(compose.services.app?.profiles).toBeUndefined();
    const others = services.filter(([name]) => name !== 'app');
    for (const [name, s] of others) expect(s.profiles?.length, `${name} needs a profile`).toBeGreaterThan(0);
    // A second instance serves HTTP like the first: the image's own command and a published port.
    const second = others.filter(([, s]) => s.command === undefined && (s.ports?.length ?? 0) > 0);
    expect(second.length).toBeGreaterThanOrEqual(1);
  });

  it('turns the example, as compose hands it to each container, into a configuration the app accepts', () => {
    const dotenv = filledExample();
    for (const [name, s] of services) {
      const config = parseConfig(containerEnvironment(s, dotenv));
      expect(config.HOST, name).toBe('0.0.0.0');
      expect(config.NODE_ENV, name).toBe('production');
      expect(config.DATA_KEY, name).toBe(TEST_DATA_KEY);
      // REDIS_URL names the compose file's Redis service.
      const host = new URL(config.REDIS_URL ?? 'redis://missing').hostname;
      expect(compose.services[host]?.image, `${name}: REDIS_URL points at ${host}`).toMatch(/^redis:/);
      // The published port reaches the port the app listens on.
      for (const port of s.ports ?? []) expect(interpolate(port, dotenv).split(':').at(-1), `${name}: ${port}`).toBe(String(config.PORT));
    }
  });

  it('marks REQUIRED exactly the variables without which the app refuses to start', () => {
    const dotenv = filledExample();
    const app = compose.services.app;
    if (!app) throw new Error('no app service');
    const refused = CONFIG_VARIABLES.filter((variable) => {
      try {
        parseConfig(containerEnvironment(app, { ...dotenv, [variable]: '' }));
        return false;
      } catch (err) {
        expect(String(err), variable).toContain(variable);
        return true;
      }
    });
    const marked = readExample().filter((v) => v.comment?.startsWith('REQUIRED')).map((v) => v.name);
    expect(refused).toContain('DATA_KEY');
    expect(marked.sort()).toEqual([...refused].sort());
    // A required value is the operator's own: the example leaves it empty.
    for (const v of readExample().filter((x) => marked.includes(x.name))) expect(v.value, v.name).toBe('');
  });
});
