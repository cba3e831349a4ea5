/**
 * Every package is pinned by package-lock.json: the lockfile is in step with package.json (what
 * `npm ci` insists on), and every package in it has an exact version and a sha512 integrity, so
 * an install gets the very bytes this repository was tested with or fails.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => JSON.parse(readFileSync(`${ROOT}${file}`, 'utf8')) as Record<string, unknown>;

interface LockEntry {
  version?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const manifest = read('package.json') as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const lock = read('package-lock.json') as { lockfileVersion: number; packages: Record<string, LockEntry> };

describe('package-lock.json', () => {
  it('lists what package.json asks for, runtime and development alike', () => {
    expect(lock.lockfileVersion).toBe(3);
    expect(lock.packages['']?.dependencies).toEqual(manifest.dependencies);
    expect(lock.packages['']?.devDependencies).toEqual(manifest.devDependencies);
    for (const name of [...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)]) {
      expect(lock.packages[`node_modules/${name}`]?.version, name).toMatch(/^\d+\.\d+\.\d+/);
    }
  });

  it('pins every package to one version and its sha512 integrity', () => {
    const entries = Object.entries(lock.packages).filter(([path, entry]) => path !== '' && !entry.link);
    expect(entries.length).toBeGreaterThan(100);
    const loose = entries.filter(([, e]) => !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(e.version ?? '') || !/^sha512-[A-Za-z0-9+/]{86}==$/.test(e.integrity ?? ''));
    expect(loose.map(([path]) => path)).toEqual([]);
  });
});
