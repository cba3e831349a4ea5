/**
 * Locales: one Fluent file per language in `locales/` (`id.ftl`, `en.ftl`, …). A key missing in
 * a language falls back to the default language; `flows:check` reports such gaps so that no
 * person ever sees a fallback. Pure: it takes the files' text, the loader reads them.
 */
import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';

export type Args = Record<string, string | number>;

/** Looks up and formats user-facing text. */
export interface Translator {
  /** Languages in the order they are offered; the first is the default. */
  readonly langs: readonly string[];
  readonly defaultLang: string;
  /** Formats `key` in `lang`, falling back to the default language, then to the key itself. */
  t(lang: string, key: string, args?: Args): string;
  has(lang: string, key: string): boolean;
  keys(lang: string): string[];
}

/** A locale file's text and the name used in problem reports. */
export interface LocaleSource {
  lang: string;
  file: string;
  text: string;
}

/** Builds a translator; problems (syntax errors, duplicates) are returned, not thrown. */
export function createTranslator(
  sources: LocaleSource[],
  defaultLang: string,
): { translator: Translator; problems: string[] } {
  const problems: string[] = [];
  const bundles = new Map<string, FluentBundle>();
  for (const src of sources) {
    // No Unicode isolation marks: WhatsApp and Telegram would show them as stray characters.
    const bundle = new FluentBundle(src.lang, { useIsolating: false });
    const resource = new FluentResource(src.text);
    for (const err of bundle.addResource(resource)) problems.push(`${src.file}: ${err.message}`);
    // FluentResource skips entries it cannot parse; find them by comparing with the ids written.
    const declared = [...src.text.matchAll(/^([a-zA-Z][\w-]*)\s*=/gm)].map((m) => m[1] ?? '');
    for (const id of declared) {
      if (!bundle.hasMessage(id)) problems.push(`${src.file}: message "${id}" could not be parsed`);
    }
    bundles.set(src.lang, bundle);
  }
  const langs = [defaultLang, ...sources.map((s) => s.lang).filter((l) => l !== defaultLang)];
  if (!bundles.has(defaultLang)) problems.push(`locales: no file for the default language "${defaultLang}"`);

  const format = (bundle: FluentBundle | undefined, key: string, args?: Args): string | undefined => {
    const msg = bundle?.getMessage(key);
    if (!bundle || !msg?.value) return undefined;
    return bundle.formatPattern(msg.value, args as Record<string, FluentVariable> | undefined, []);
  };

  const translator: Translator = {
    langs,
    defaultLang,
    t(lang, key, args) {
      return format(bundles.get(lang), key, args) ?? format(bundles.get(defaultLang), key, args) ?? key;
    },
    has(lang, key) {
      return bundles.get(lang)?.hasMessage(key) ?? false;
    },
    keys(lang) {
      const src = sources.find((s) => s.lang === lang);
      return src ? [...src.text.matchAll(/^([a-zA-Z][\w-]*)\s*=/gm)].map((m) => m[1] ?? '') : [];
    },
  };
  return { translator, problems };
}
