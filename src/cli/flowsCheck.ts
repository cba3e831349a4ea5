/**
 * `npm run flows:check`: validates every flow, the signs, the contacts and the locales, and
 * prints one line per problem naming the file and the node. Exits 1 when anything is wrong.
 */
import { parseConfigOrExit } from '../config.js';
import { checkAdAnswers, readAdModel } from '../content/adModel.js';
import { checkContent } from '../content/check.js';
import { formatProblem, loadContent } from '../content/load.js';

// The folders and the language as the service reads them (the config schema: an empty value, as
// compose passes an unset one, is the default), so the check looks at what the service would load.
const config = parseConfigOrExit(process.env);
const dirs = { flowsDir: config.FLOWS_DIR, localesDir: config.LOCALES_DIR };
const { content, problems } = loadContent(dirs, config.DEFAULT_LANG);
const all = content ? [...problems, ...checkContent(content)] : problems;
// The ad analyser's patterns and salary ranges (flows/ad-patterns.yaml, flows/salary-ranges.yaml).
if (content) {
  const ad = readAdModel(dirs.flowsDir, content.catalogue);
  all.push(...ad.problems, ...(ad.model ? checkAdAnswers(ad.model, content.flows) : []));
}
for (const p of all) console.error(formatProblem(p));
if (all.length > 0) {
  console.error(`flows:check: ${all.length} problem(s)`);
  process.exit(1);
}
console.log(`flows:check: ${content?.flows.length ?? 0} flows, ${content?.catalogue.signs.length ?? 0} signs, ${content?.locales.length ?? 0} locales: no problems`);
