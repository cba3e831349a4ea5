/**
 * Reads `flows/` and `locales/` from disk and validates them: the one place content meets the
 * file system. Schema errors are collected as problems naming the file and the path inside it,
 * so `flows:check` and start-up report all of them at once.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ContactsFileSchema, type Contact } from '../engine/contacts.js';
import { CommandsSchema, FlowSchema, type Commands, type Flow } from '../engine/flowSchema.js';
import { createTranslator, type LocaleSource, type Translator } from '../i18n/translator.js';
import { CatalogueSchema, type Catalogue } from '../risk/signs.js';

/** A content problem: where it is and what is wrong. */
export interface Problem {
  file: string;
  node?: string;
  message: string;
}

/** Validated content, with the file each flow came from (for problem reports). */
export interface Content {
  flows: Flow[];
  flowFiles: ReadonlyMap<string, string>;
  commands: Commands;
  catalogue: Catalogue;
  contacts: Contact[];
  translator: Translator;
  locales: LocaleSource[];
}

/** Files in `flows/` that are data, not flows (the ad analyser's two are read by src/content/adModel.ts). */
const DATA_FILES = {
  commands: 'commands.yaml',
  signs: 'signs.yaml',
  contacts: 'contacts.yaml',
  adPatterns: 'ad-patterns.yaml',
  salaryRanges: 'salary-ranges.yaml',
} as const;

/** Reads and validates all content; `content` is undefined when a file could not be used at all. */
export function loadContent(dirs: { flowsDir: string; localesDir: string }, defaultLang: string): {
  content?: Content;
  problems: Problem[];
} {
  const problems: Problem[] = [];
  const read = <S extends z.ZodType>(file: string, schema: S): z.infer<S> | undefined => {
    const path = join(dirs.flowsDir, file);
    let raw: unknown;
    try {
      raw = parseYaml(readFileSync(path, 'utf8'));
    } catch (err) {
      problems.push({ file: `flows/${file}`, message: (err as Error).message.split('\n')[0] ?? 'unreadable' });
      return undefined;
    }
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      const node = issue.path[0] === 'nodes' && typeof issue.path[1] === 'string' ? issue.path[1] : undefined;
      problems.push({
        file: `flows/${file}`,
        ...(node ? { node } : {}),
        message: `${issue.path.join('.') || '(top level)'}: ${issue.message}`,
      });
    }
    return undefined;
  };

  const commands = read(DATA_FILES.commands, CommandsSchema);
  const catalogue = read(DATA_FILES.signs, CatalogueSchema);
  const contacts = read(DATA_FILES.contacts, ContactsFileSchema)?.contacts;

  const dataNames = new Set<string>(Object.values(DATA_FILES));
  const flows: Flow[] = [];
  const flowFiles = new Map<string, string>();
  for (const file of readdirSync(dirs.flowsDir).filter((f) => f.endsWith('.yaml') && !dataNames.has(f)).sort()) {
    const flow = read(file, FlowSchema);
    if (!flow) continue;
    if (flow.id !== basename(file, '.yaml')) {
      problems.push({ file: `flows/${file}`, message: `flow id "${flow.id}" must match the file name` });
    }
    if (flowFiles.has(flow.id)) problems.push({ file: `flows/${file}`, message: `duplicate flow id "${flow.id}"` });
    flows.push(flow);
    flowFiles.set(flow.id, `flows/${file}`);
  }

  const locales: LocaleSource[] = readdirSync(dirs.localesDir)
    .filter((f) => f.endsWith('.ftl'))
    .sort()
    .map((f) => ({ lang: basename(f, '.ftl'), file: `locales/${f}`, text: readFileSync(join(dirs.localesDir, f), 'utf8') }));
  const { translator, problems: localeProblems } = createTranslator(locales, defaultLang);
  for (const p of localeProblems) {
    const [file, ...rest] = p.split(': ');
    problems.push({ file: file ?? 'locales', message: rest.join(': ') });
  }

  if (!commands || !catalogue || !contacts) return { problems };
  return { content: { flows, flowFiles, commands, catalogue, contacts, translator, locales }, problems };
}

/** Formats a problem as one line: `flows/check.yaml [visa]: next "x" is not a node`. */
export function formatProblem(p: Problem): string {
  return `${p.file}${p.node ? ` [${p.node}]` : ''}: ${p.message}`;
}
