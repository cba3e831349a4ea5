/**
 * No Docker engine runs here, so the image is checked by reading its Dockerfile and
 * .dockerignore: Node 24 slim in every stage, production dependencies only, a non-root user, a
 * health check, no secret, and every file the app reads at run time copied to where dist/ looks
 * for it, or the service (and with it the emergency numbers) would not start.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, parseConfig } from '../../src/config.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Stage {
  image: string;
  name: string | undefined;
  /** Its instructions, continuation lines joined, comments left out. */
  lines: string[];
}

/** The Dockerfile's stages, in order. */
function readStages(): Stage[] {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
  const stages: Stage[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from?.[1]) stages.push({ image: from[1], name: from[2], lines: [] });
    else if (stages.length === 0) throw new Error(`an instruction before the first FROM: ${line}`);
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

const stages = readStages();
const runtime = stages.at(-1) ?? { image: '', name: undefined, lines: [] };
const build = stages.slice(0, -1);
const instructions = (stage: Stage, keyword: string) => stage.lines.filter((l) => l.toUpperCase().startsWith(`${keyword} `));

/** Every .ts file under a folder. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(path);
    return d.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * What the compiled app reads from disk, relative to the repository: the paths the source
 * resolves from its own location (`new URL('../../src/…', import.meta.url)`, which from dist/
 * lands in the same place as from src/), every `public/` folder, and the content folders the
 * config defaults to.
 */
function runtimeReads(): string[] {
  const found = new Set<string>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const uses = text.match(/import\.meta\.\w+/g)?.length ?? 0;
    const urls = [...text.matchAll(/new URL\(\s*'([^']+)'\s*,\s*import\.meta\.url\s*\)/g)];
    expect(urls.length, `${relative(ROOT, file)} reads import.meta in a way this test cannot follow: teach it`).toBe(uses);
    const compiled = join(ROOT, 'dist', relative(join(ROOT, 'src'), file));
    for (const [, path] of urls) {
      const target = relative(ROOT, resolve(dirname(compiled), path ?? ''));
      // config.ts resolves the repository root itself, the base of the content folders below.
      if (target !== '' && !target.startsWith('dist')) found.add(target);
    }
  }
  const publicDirs = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
      if (!d.isDirectory()) return [];
      const path = join(dir, d.name);
      return d.name === 'public' ? [relative(ROOT, path)] : publicDirs(path);
    });
  for (const dir of publicDirs(join(ROOT, 'src'))) found.add(dir);
  const defaults = parseConfig({});
  found.add(relative(ROOT, defaults.FLOWS_DIR));
  found.add(relative(ROOT, defaults.LOCALES_DIR));
  return [...found].sort();
}

/** A .dockerignore pattern as a regular expression (Go's filepath.Match, plus `**`). */
function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*' && pattern[i + 1] === '*') {
      re += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Whether .dockerignore keeps a path out of the build context: a pattern matches it or a folder above it; the last match wins. */
function ignored(path: string): boolean {
  const patterns = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const parts = path.split('/');
  let out = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const re = globToRegExp((negate ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, ''));
    if (parts.some((_, i) => re.test(parts.slice(0, i + 1).join('/')))) out = !negate;
  }
  return out;
}

describe('Dockerfile', () => {
  it('builds on node:24-slim in every stage, in at least two stages', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.image).toMatch(/^node:24-slim(@sha256:[0-9a-f]{64})?$/);
  });

  it('compiles with the dev dependencies and runs with the production ones only', () => {
    const buildRuns = build.flatMap((s) => instructions(s, 'RUN')).join('\n');
    expect(buildRuns).toMatch(/\bnpm ci\b/);
    expect(buildRuns).not.toMatch(/--omit=dev/);
    expect(buildRuns).toMatch(/\bnpm run build\b/);
    const runs = instructions(runtime, 'RUN').join('\n');
    expect(runs).toMatch(/\bnpm ci --omit=dev\b/);
    expect(runs.match(/\bnpm ci\b/g)?.length, 'every npm ci of the runtime omits dev').toBe(runs.match(/\bnpm ci --omit=dev\b/g)?.length);
    const copies = instructions(runtime, 'COPY');
    expect(copies.filter((c) => c.includes('node_modules')), 'no node_modules from the build stage (it has the dev dependencies)').toEqual([]);
    expect(copies).toContain(`COPY --from=${build.at(-1)?.name ?? ''} /app/dist ./dist`);
    expect(copies.filter((c) => /^COPY (--\S+ )*(\.|src) /.test(c)), 'neither the whole context nor the whole source').toEqual([]);
  });

  it('copies everything the app reads at run time to where dist/ looks for it', () => {
    const reads = runtimeReads();
    expect(reads).toEqual(expect.arrayContaining(['flows', 'locales', 'src/channels/web/public', 'src/console/public']));
    const copied = instructions(runtime, 'COPY')
      .filter((c) => !c.includes('--from'))
      .map((c) => /^COPY (\S+) \.\/(\S+)$/.exec(c))
      .filter((m) => m !== null && m[1] === m[2])
      .map((m) => m?.[1] ?? '');
    for (const path of reads) {
      expect(existsSync(join(ROOT, path)), `${path} exists`).toBe(true);
      expect(copied.some((c) => path === c || path.startsWith(`${c}/`)), `${path} is not copied into the image`).toBe(true);
    }
    expect(instructions(runtime, 'WORKDIR').at(-1)).toBe('WORKDIR /app');
  });

  it('starts the compiled app', () => {
    expect(instructions(runtime, 'CMD').at(-1)).toBe('CMD ["node", "dist/main.js"]');
    expect(existsSync(join(ROOT, 'src/main.ts'))).toBe(true);
  });

  it('runs as a user other than root', () => {
    const lines = runtime.lines;
    const user = instructions(runtime, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(user?.slice(5).trim()).not.toMatch(/^(root|0)(:|$)/);
    // Set before the command the container runs.
    expect(lines.indexOf(user ?? '')).toBeLessThan(lines.findIndex((l) => l.startsWith('CMD ')));
  });

  it('checks its health on /healthz with node (slim has no curl)', () => {
    const check = instructions(runtime, 'HEALTHCHECK').at(-1) ?? '';
    expect(check).toContain('/healthz');
    expect(check).toMatch(/CMD \[?"?node\b/);
    expect(check).not.toMatch(/\b(curl|wget)\b/);
  });

  it('listens on every interface', () => {
    const env = instructions(runtime, 'ENV').join(' ');
    expect(env).toMatch(/(^|\s)HOST=0\.0\.0\.0(\s|$)/);
  });

  it('bakes no secret into the image', () => {
    const all = stages.flatMap((s) => s.lines);
    const names = all
      .filter((l) => /^(ENV|ARG) /i.test(l))
      .flatMap((l) => l.slice(4).trim().split(/\s+/).map((pair) => pair.split('=')[0] ?? ''));
    expect(names.filter((n) => /TOKEN|SECRET|PASSWORD|(^|_)KEY($|_)/i.test(n))).toEqual([]);
    // Only settings that describe the image itself; everything else comes from the environment at run time.
    expect(names.filter((n) => (CONFIG_VARIABLES as readonly string[]).includes(n)).sort()).toEqual(['HOST', 'NODE_ENV', 'PORT']);
    expect(all.filter((l) => /^(COPY|ADD) .*\.env/i.test(l))).toEqual([]);
  });
});

describe('.dockerignore', () => {
  it('keeps tests, benchmarks, node_modules, git, the .env files and the test artifacts out of the build context', () => {
    for (const path of ['tests/deploy/compose.test.ts', 'tests/artifacts/shot.png', 'bench/run.ts', 'node_modules/zod/package.json', '.git/HEAD', '.env', '.env.production', '.env.example', 'dist/main.js', 'src/.env']) {
      expect(ignored(path), path).toBe(true);
    }
  });

  it('lets in everything the Dockerfile copies from the context', () => {
    const sources = stages
      .flatMap((s) => instructions(s, 'COPY'))
      .filter((c) => !c.includes('--from'))
      .flatMap((c) => c.split(/\s+/).slice(1, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(existsSync(join(ROOT, source)), `${source} exists`).toBe(true);
      expect(ignored(source), `${source} is copied but ignored`).toBe(false);
    }
    for (const path of ['src/main.ts', 'src/console/public/console.css', 'flows/signs.yaml', 'locales/id.ftl']) expect(ignored(path), path).toBe(false);
  });
});

describe('README "Deploy"', () => {
  it('runs in the image only commands that the build produces', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = /\n## Deploy\n([\s\S]*?)(\n## |$)/.exec(readme)?.[1] ?? '';
    const scripts = [...section.matchAll(/\bnode (dist\/[\w/.-]+\.js)/g)].map((m) => m[1] ?? '');
    expect(scripts).toContain('dist/cli/staffAdd.js');
    for (const script of scripts) expect(existsSync(join(ROOT, script.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'))), script).toBe(true);
  });
});
