/**
 * Builds the engine from validated content: the one place where the pure pieces (engine,
 * assessment, translator) are wired together.
 */
import { createEngine, type Engine } from '../engine/engine.js';
import { assess } from '../risk/assess.js';
import { analyseAd, type AdModel } from '../risk/adAnalyser.js';
import { readAdModel } from './adModel.js';
import { checkContent } from './check.js';
import { formatProblem, loadContent, type Content } from './load.js';

/** Wires loaded content into an engine. */
export function engineFromContent(content: Content, idleExpiryMs: number, options: { staffed?: boolean; adModel?: AdModel } = {}): Engine {
  const adModel = options.adModel;
  return createEngine({
    flows: content.flows,
    commands: content.commands,
    contacts: content.contacts,
    t: content.translator,
    assess: (answers) => assess(content.catalogue, answers),
    idleExpiryMs,
    ...(options.staffed !== undefined ? { staffed: options.staffed } : {}),
    ...(adModel ? { analyseAd: (text: string) => analyseAd(adModel, text) } : {}),
  });
}

/** Loads, checks and wires the content; throws one error listing every problem, so a bad deploy fails at start. */
export function loadEngine(dirs: { flowsDir: string; localesDir: string }, defaultLang: string, idleExpiryMs: number, options: { staffed?: boolean; adModel?: AdModel } = {}): Engine {
  const { content, problems } = loadContent(dirs, defaultLang);
  // A model the caller already built (the app shares one with the assess API) is not built again.
  const ad = options.adModel ? { model: options.adModel, problems: [] } : content ? readAdModel(dirs.flowsDir, content.catalogue) : { problems: [] };
  const all = content ? [...problems, ...checkContent(content), ...ad.problems] : problems;
  if (!content || all.length > 0) {
    throw new Error(`The content in flows/ and locales/ has ${all.length} problem(s):\n${all.map(formatProblem).join('\n')}`);
  }
  return engineFromContent(content, idleExpiryMs, { ...options, ...(ad.model ? { adModel: ad.model } : {}) });
}
