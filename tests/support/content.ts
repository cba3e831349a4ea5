/** The repository's real content, loaded once per test file. */
import { fileURLToPath } from 'node:url';
import { loadContent, type Content } from '../../src/content/load.js';
import { loadEngine } from '../../src/content/engine.js';
import type { Engine } from '../../src/engine/engine.js';

export const FLOWS_DIR = fileURLToPath(new URL('../../flows', import.meta.url));
export const LOCALES_DIR = fileURLToPath(new URL('../../locales', import.meta.url));
export const DAY_MS = 24 * 60 * 60 * 1000;

/** The real engine, as the app builds it. */
export function realEngine(idleExpiryMs = DAY_MS): Engine {
  return loadEngine({ flowsDir: FLOWS_DIR, localesDir: LOCALES_DIR }, 'id', idleExpiryMs);
}

/** The real content, validated; throws when it does not load. */
export function realContent(): Content {
  const { content, problems } = loadContent({ flowsDir: FLOWS_DIR, localesDir: LOCALES_DIR }, 'id');
  if (!content) throw new Error(`content does not load: ${JSON.stringify(problems)}`);
  return content;
}
