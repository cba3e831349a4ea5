/**
 * `npm run flows:check`: validates every flow, the signs, the contacts and the locales, and
 * prints one line per problem naming the file and the node. Exits 1 when anything is wrong.
 */
import { checkAdAnswers, readAdModel } from '../content/adModel.js';
import { checkContent } from '../content/check.js';
import { formatProblem, loadContent } from '../content/load.js';

const dirs = { flowsDir: process.env.FLOWS_DIR ?? 'flows', localesDir: process.env.LOCALES_DIR ?? 'locales' };
const { content, problems } = loadContent(dirs, process.env.DEFAULT_LANG ?? 'id');
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
