/**
 * No Docker engine runs here, so the image is checked by reading its Dockerfile: every folder of
 * static assets the app reads at start-up must be copied into the runtime image, or the service
 * (and with it the emergency numbers) would not start.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function publicDirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (!d.isDirectory()) return [];
    const path = join(dir, d.name);
    return d.name === 'public' ? [relative(ROOT, path)] : publicDirs(path);
  });
}

describe('Dockerfile', () => {
  it('copies every static asset folder and the content into the runtime image', () => {
    const runtime = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').split(/^FROM /m).at(-1) ?? '';
    const dirs = publicDirs(join(ROOT, 'src'));
    expect(dirs.length).toBeGreaterThanOrEqual(2);
    for (const dir of [...dirs, 'flows', 'locales']) expect(runtime, `${dir} is not copied into the image`).toMatch(new RegExp(`^COPY ${dir} \\./${dir}$`, 'm'));
  });
});
