/**
 * Reads the ad analyser's data from `flows/` (ad-patterns.yaml, salary-ranges.yaml, signs.yaml)
 * and builds the model once: the thin I/O around the pure `buildAdModel`. `flows:check` also
 * checks here that every answer the patterns give is one the check can give.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Flow } from '../engine/flowSchema.js';
import { AdModelError, PAY_ANSWER, buildAdModel, type AdModel } from '../risk/adAnalyser.js';
import { CatalogueSchema, type Catalogue } from '../risk/signs.js';
import type { Problem } from './load.js';

const PATTERNS_FILE = 'ad-patterns.yaml';
const SALARY_FILE = 'salary-ranges.yaml';
/** The destination value of a scam-pay entry that means "the ad names no country". */
const UNNAMED = 'unnamed';

/** Reads and builds the model; content errors come back as problems, never thrown. */
export function readAdModel(flowsDir: string, catalogue: Catalogue): { model?: AdModel; problems: Problem[] } {
  const read = (file: string): string | Problem => {
    try {
      return readFileSync(join(flowsDir, file), 'utf8');
    } catch (err) {
      return { file: `flows/${file}`, message: (err as Error).message.split('\n')[0] ?? 'unreadable' };
    }
  };
  const patterns = read(PATTERNS_FILE);
  const salary = read(SALARY_FILE);
  if (typeof patterns !== 'string' || typeof salary !== 'string') {
    return { problems: [patterns, salary].filter((x): x is Problem => typeof x !== 'string') };
  }
  try {
    return { model: buildAdModel(patterns, salary, catalogue), problems: [] };
  } catch (err) {
    if (!(err instanceof AdModelError)) throw err;
    return { problems: err.issues.map((i) => ({ file: i.file, message: `${i.path}: ${i.message}` })) };
  }
}

/**
 * Builds the analyser from `flowsDir` (reading signs.yaml too unless the catalogue is given).
 * Throws when the data is unusable: call once at start-up; `flows:check` lists the problems.
 */
export function loadAdModel(flowsDir: string, catalogue?: Catalogue): AdModel {
  const cat = catalogue ?? CatalogueSchema.parse(parseYaml(readFileSync(join(flowsDir, 'signs.yaml'), 'utf8')));
  const { model, problems } = readAdModel(flowsDir, cat);
  if (!model) throw new Error(`ad analyser data: ${problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`);
  return model;
}

/** Checks that every answer the ad data gives is an answer a question of the flows can give. */
export function checkAdAnswers(model: AdModel, flows: readonly Flow[]): Problem[] {
  const values = new Map<string, Set<string>>([[PAY_ANSWER.answer, new Set([PAY_ANSWER.value])]]);
  for (const flow of flows) {
    for (const [id, node] of Object.entries(flow.nodes)) {
      const name = 'save' in node && node.save ? node.save : id;
      const add = (vs: string[]): void => void values.set(name, new Set([...(values.get(name) ?? []), ...vs]));
      if (node.type === 'choice') add(node.options.map((o) => o.id));
      if (node.type === 'yesno') add(node.unknown ? ['yes', 'no', 'unknown'] : ['yes', 'no']);
    }
  }
  const problems: Problem[] = [];
  const P = 'flows/ad-patterns.yaml';
  const S = 'flows/salary-ranges.yaml';
  const check = (file: string, where: string, answer: string, value: string): void => {
    const possible = values.get(answer);
    if (!possible) problems.push({ file, message: `${where}: no question saves an answer "${answer}"` });
    else if (!possible.has(value)) problems.push({ file, message: `${where}: answer "${answer}" is never "${value}"` });
  };
  for (const g of model.groups) check(P, `group ${g.id}`, g.answer, g.value);
  for (const c of model.combine) for (const v of [...c.values, c.to]) check(P, `combine ${c.answer}`, c.answer, v);
  for (const r of model.salary.ranges) for (const j of r.job) check(S, `range ${r.id}`, 'job', j);
  for (const sp of model.salary.scam_pay) {
    for (const j of sp.job) check(S, `scam_pay ${sp.id}`, 'job', j);
    for (const d of sp.destination) if (d !== UNNAMED) check(S, `scam_pay ${sp.id}`, 'destination', d);
  }
  return problems;
}
