/**
 * The job-ad analyser: from the text of an ad (or a recruiter's chat), the answers of the check
 * that it gives, and from those answers — through the same assessment as the chat — the level and
 * the signs, each quoted from the original text. Pure: no I/O, no clock; the model is built once
 * from `flows/ad-patterns.yaml`, `flows/salary-ranges.yaml` and the signs catalogue.
 *
 * How a text is read:
 * 1. tokens (src/risk/adText.ts): folded words with their spans in the original text;
 * 2. phrases (src/risk/phrases.ts): every pattern of every group; where phrases overlap the longest
 *    wins ("tanpa visa kerja" over "visa kerja"), and a phrase right after a negator is dropped
 *    ("tanpa DP", "tidak melalui calo");
 * 3. answers: per question, the group listed first in the file wins (the file lists the riskier
 *    answer first); groups with a `when` condition come last, read against the answers found;
 * 4. amounts (src/risk/money.ts) and pay: an offer far above the sourced pay for the job and the
 *    country, or at the bait level of scam compounds, gives the answer `pay: too_high`;
 * 5. the assessment (src/risk/assess.ts) turns the answers into the level and the signs.
 */
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { evaluate, references } from '../common/condition.js';
import { AdPatternsSchema, type AdGroup } from './adPatterns.js';
import { tokenize, type Token } from './adText.js';
import { assess, type RiskLevel } from './assess.js';
import { findAmounts, type Amount, type MoneyVocab, type Seq } from './money.js';
import { PhraseIndex, compilePattern, longestNonOverlapping, type Match, type Pattern } from './phrases.js';
import { SalaryRangesSchema, type SalaryRanges } from './salaryRanges.js';
import type { Catalogue, Severity } from './signs.js';

export type { Amount } from './money.js';

/** A span of the original text. */
export interface AdEvidence {
  /** Exactly as written in the ad: `text.slice(start, end)`. */
  evidence: string;
  start: number;
  end: number;
}

/** A sign found in an ad, with the words that show it. */
export interface AdSign extends AdEvidence {
  id: string;
  severity: Severity;
  /** Every span that contributed (e.g. the country and the job of a scam-hub offer), in text order. */
  spans: AdEvidence[];
}

/** What an ad shows. */
export interface AdAnalysis {
  level: RiskLevel;
  /** Heaviest first, as in the assessment. */
  signs: AdSign[];
  /** The check's answers the ad gives (flows/check.yaml ids), plus `pay: "too_high"`; the chat can skip these questions. */
  answers: Record<string, string | number | boolean>;
  amounts: Amount[];
  /** Where each answer came from, and the group of ad-patterns.yaml that found it. */
  found: Record<string, AdEvidence & { group: string }>;
}

/** The answer an offer far above the usual pay gives (the `pay_too_high` sign reads it). */
export const PAY_ANSWER = { answer: 'pay', value: 'too_high' } as const;

/** A problem in the analyser's data, with the file and the path inside it. */
export interface AdModelIssue {
  file: 'flows/ad-patterns.yaml' | 'flows/salary-ranges.yaml';
  path: string;
  message: string;
}

/** Thrown by buildAdModel when the data cannot be used; lists every problem. */
export class AdModelError extends Error {
  constructor(readonly issues: AdModelIssue[]) {
    super(`ad analyser data: ${issues.map((i) => `${i.file} ${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'AdModelError';
  }
}

/** The compiled analyser: built once, used for every ad. Treat as opaque. */
export interface AdModel {
  readonly catalogue: Catalogue;
  readonly groups: readonly AdGroup[];
  readonly synonyms: ReadonlyMap<string, string>;
  /** Owners 0..groups-1 are groups; `groups.length` is the ignore list. */
  readonly index: PhraseIndex;
  readonly negators: ReadonlyArray<{ seq: Seq; window: number }>;
  readonly listWords: ReadonlySet<string>;
  readonly combine: ReadonlyArray<{ answer: string; values: readonly string[]; to: string }>;
  readonly money: MoneyVocab;
  readonly salary: SalaryRanges;
  /** Owners are indexes into salary.ranges. */
  readonly places: PhraseIndex;
  readonly rates: ReadonlyMap<string, number>;
}

/**
 * Builds the model from the two YAML files (their text, or already parsed) and the signs
 * catalogue. Pure; throws AdModelError listing every problem.
 */
export function buildAdModel(patternsYaml: unknown, salaryYaml: unknown, catalogue: Catalogue): AdModel {
  const issues: AdModelIssue[] = [];
  const patterns = parseWith('flows/ad-patterns.yaml', patternsYaml, AdPatternsSchema, issues);
  const salary = parseWith('flows/salary-ranges.yaml', salaryYaml, SalaryRangesSchema, issues);
  if (!patterns || !salary) throw new AdModelError(issues);

  const P = 'flows/ad-patterns.yaml' as const;
  const S = 'flows/salary-ranges.yaml' as const;
  const synonyms = new Map<string, string>();
  for (const [word, variants] of Object.entries(patterns.synonyms)) {
    for (const v of variants) {
      const key = tokenize(v)[0]?.text;
      if (!key || tokenize(v).length !== 1) issues.push({ file: P, path: `synonyms.${word}`, message: `"${v}" must be one word` });
      else synonyms.set(key, tokenize(word)[0]?.text ?? word);
    }
  }
  const seqOf = (phrase: string, path: string, file: AdModelIssue['file'] = P): Seq => {
    const seq = tokenize(phrase, synonyms).map((t) => t.text);
    if (seq.length === 0) issues.push({ file, path, message: `"${phrase}" has no letters, digits or currency sign` });
    return seq;
  };

  const signs = new Map(catalogue.signs.map((s) => [s.id, s]));
  const compiled: Pattern[] = [];
  const ids = new Set<string>();
  patterns.groups.forEach((g, gi) => {
    if (ids.has(g.id)) issues.push({ file: P, path: `groups.${gi}.id`, message: `duplicate group id "${g.id}"` });
    ids.add(g.id);
    if (g.sign) {
      const sign = signs.get(g.sign);
      if (!sign) issues.push({ file: P, path: `groups.${gi}.sign`, message: `no sign "${g.sign}" in signs.yaml` });
      else {
        const refs = [...references(sign.when).answers, ...(sign.escalate ? references(sign.escalate.when).answers : [])];
        if (!refs.includes(g.answer)) issues.push({ file: P, path: `groups.${gi}`, message: `sign "${g.sign}" does not read the answer "${g.answer}"` });
      }
    }
    g.phrases.forEach((phrase, pi) => {
      const p = compilePattern(phrase, gi, synonyms);
      if (typeof p === 'string') issues.push({ file: P, path: `groups.${gi}.phrases.${pi}`, message: p });
      else compiled.push(p);
    });
  });
  patterns.ignore.forEach((phrase, pi) => {
    const p = compilePattern(phrase, patterns.groups.length, synonyms);
    if (typeof p === 'string') issues.push({ file: P, path: `ignore.${pi}`, message: p });
    else compiled.push(p);
  });

  const a = patterns.amounts;
  const codes = new Set(a.currencies.map((c) => c.code));
  const money: MoneyVocab = {
    currencies: a.currencies
      .flatMap((c, ci) => c.words.map((w, wi) => ({ code: c.code, seq: seqOf(w, `amounts.currencies.${ci}.words.${wi}`) })))
      .sort((x, y) => y.seq.length - x.seq.length),
    defaultCurrency: a.default_currency,
    multipliers: a.multipliers.flatMap((m, mi) => m.words.map((w, wi) => ({ factor: m.factor, seq: seqOf(w, `amounts.multipliers.${mi}.words.${wi}`) }))),
    rangeWords: a.range_words.map((w, i) => seqOf(w, `amounts.range_words.${i}`)),
    payWords: a.pay_words.map((w, i) => seqOf(w, `amounts.pay_words.${i}`)),
    feeWords: a.fee_words.map((w, i) => seqOf(w, `amounts.fee_words.${i}`)),
    notMonthly: a.not_monthly.map((w, i) => seqOf(w, `amounts.not_monthly.${i}`)),
  };
  if (!codes.has(a.default_currency)) issues.push({ file: P, path: 'amounts.default_currency', message: `no currency "${a.default_currency}" in amounts.currencies` });

  const placePatterns: Pattern[] = [];
  salary.ranges.forEach((r, ri) => {
    if (!codes.has(r.currency)) issues.push({ file: S, path: `ranges.${ri}.currency`, message: `no currency "${r.currency}" in ad-patterns.yaml amounts.currencies` });
    r.where.forEach((w, wi) => {
      const p = compilePattern(w, ri, synonyms);
      if (typeof p === 'string') issues.push({ file: S, path: `ranges.${ri}.where.${wi}`, message: p });
      else placePatterns.push(p);
    });
  });
  const rates = new Map<string, number>([[a.default_currency, 1]]);
  salary.rates.forEach((r, ri) => {
    if (!codes.has(r.currency)) issues.push({ file: S, path: `rates.${ri}.currency`, message: `no currency "${r.currency}" in ad-patterns.yaml amounts.currencies` });
    rates.set(r.currency, r.idr);
  });
  salary.scam_pay.forEach((sp, si) => {
    for (const code of Object.keys(sp.at_least)) {
      if (!codes.has(code)) issues.push({ file: S, path: `scam_pay.${si}.at_least.${code}`, message: `no currency "${code}" in ad-patterns.yaml amounts.currencies` });
    }
  });

  if (issues.length > 0) throw new AdModelError(issues);
  return {
    catalogue,
    groups: patterns.groups,
    synonyms,
    index: new PhraseIndex(compiled),
    negators: patterns.negators.map((n, i) => ({ seq: seqOf(n.phrase, `negators.${i}`), window: n.window })),
    listWords: new Set(patterns.list_words.flatMap((w, i) => seqOf(w, `list_words.${i}`))),
    combine: patterns.combine,
    money,
    salary,
    places: new PhraseIndex(placePatterns),
    rates,
  };
}

function parseWith<S extends z.ZodType>(file: AdModelIssue['file'], input: unknown, schema: S, issues: AdModelIssue[]): z.infer<S> | undefined {
  let raw = input;
  if (typeof input === 'string') {
    try {
      raw = parseYaml(input);
    } catch (err) {
      issues.push({ file, path: '(file)', message: (err as Error).message.split('\n')[0] ?? 'unreadable YAML' });
      return undefined;
    }
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) issues.push({ file, path: issue.path.join('.') || '(top level)', message: issue.message });
  return undefined;
}

/** Analyses one ad. Pure and total: never throws on any string. */
export function analyseAd(model: AdModel, text: string): AdAnalysis {
  const tokens = tokenize(text, model.synonyms);
  const kept = longestNonOverlapping(model.index.findAll(tokens), tokens.length);
  const live = dropNegated(model, text, tokens, kept);

  // Answers: per question the group listed first wins; `when` groups after, on what was found.
  const answers: Record<string, string | number | boolean> = {};
  const found: AdAnalysis['found'] = {};
  const byGroup = new Map<number, Match>();
  for (const m of live) if (!byGroup.has(m.pattern.owner)) byGroup.set(m.pattern.owner, m);
  const valuesOf = new Map<string, Set<string>>();
  const take = (g: AdGroup, m: Match): void => {
    answers[g.answer] = g.value;
    found[g.answer] = { ...span(text, tokens, m), group: g.id };
  };
  const conditional: Array<[AdGroup, Match]> = [];
  model.groups.forEach((g, gi) => {
    const m = byGroup.get(gi);
    if (!m) return;
    if (g.when) return void conditional.push([g, m]);
    valuesOf.set(g.answer, (valuesOf.get(g.answer) ?? new Set()).add(g.value));
    if (!(g.answer in answers)) take(g, m);
  });
  for (const c of model.combine) {
    const vs = valuesOf.get(c.answer);
    if (vs && c.values.every((v) => vs.has(v))) answers[c.answer] = c.to;
  }
  for (const [g, m] of conditional) {
    if (!(g.answer in answers) && g.when && evaluate(g.when, { answers })) take(g, m);
  }

  const amounts = findAmounts(text, tokens, model.money);
  const pay = payTooHigh(model, tokens, amounts, answers);
  if (pay) {
    answers[PAY_ANSWER.answer] = PAY_ANSWER.value;
    found[PAY_ANSWER.answer] = { evidence: pay.evidence, start: pay.start, end: pay.end, group: 'salary-ranges' };
  }

  const assessment = assess(model.catalogue, answers);
  const byId = new Map(model.catalogue.signs.map((s) => [s.id, s]));
  const signs: AdSign[] = assessment.signs.map((s) => {
    const sign = byId.get(s.id);
    const refs = sign ? references(sign.when).answers : [];
    const spans = [...new Set(refs)].flatMap((r) => {
      const f = found[r];
      return f ? [{ evidence: f.evidence, start: f.start, end: f.end }] : [];
    });
    const main = spans[0] ?? { evidence: '', start: 0, end: 0 };
    return { id: s.id, severity: s.severity, ...main, spans: [...spans].sort((x, y) => x.start - y.start) };
  });
  return { level: assessment.level, signs, answers, amounts, found };
}

function span(text: string, tokens: readonly Token[], m: Match): AdEvidence {
  const start = (tokens[m.from] as Token).start;
  const end = (tokens[m.to - 1] as Token).end;
  return { evidence: text.slice(start, end), start, end };
}

/**
 * Drops group matches that follow a negator closely, with no punctuation between ("tanpa DP",
 * "tidak ada potongan gaji"). Negators inside a kept phrase do not count: "tanpa biaya" is a phrase
 * of its own. The ignore list's matches are dropped here too: they only hold their words.
 */
function dropNegated(model: AdModel, text: string, tokens: readonly Token[], kept: readonly Match[]): Match[] {
  const inPhrase = new Uint8Array(tokens.length);
  for (const m of kept) for (let k = m.from; k < m.to; k++) inPhrase[k] = 1;
  // negEnd[e] = the largest window of a free negator ending at token e (-1: none).
  const negEnd = new Int8Array(tokens.length).fill(-1);
  for (const n of model.negators) {
    const len = n.seq.length;
    const first = n.seq[0];
    for (let s = 0; s + len <= tokens.length; s++) {
      if ((tokens[s] as Token).text !== first) continue;
      let ok = true;
      for (let k = 0; k < len && ok; k++) {
        const t = tokens[s + k] as Token;
        ok = t.text === n.seq[k] && inPhrase[s + k] === 0 && (k === 0 || t.brk === 0);
      }
      const e = s + len - 1;
      if (ok && n.window > (negEnd[e] as number)) negEnd[e] = n.window;
    }
  }
  const negated = (m: Match): boolean => {
    for (let e = m.from - 1; e >= 0 && e >= m.from - 4; e--) {
      if ((tokens[e + 1] as Token).brk !== 0) return false;
      if ((negEnd[e] as number) >= m.from - 1 - e) return true;
    }
    return false;
  };
  // A list: "tidak melalui calo/sponsor", "tanpa DP atau potongan gaji" (no comma: "tanpa DP, langsung berangkat" is two things).
  const listed = (prev: Match | undefined, m: Match): boolean => {
    if (!prev || (tokens[m.from] as Token).brk !== 0) return false;
    if (m.from === prev.to) return /[/&]/.test(text.slice((tokens[prev.to - 1] as Token).end, (tokens[m.from] as Token).start));
    return m.from === prev.to + 1 && model.listWords.has((tokens[prev.to] as Token).text) && (tokens[prev.to] as Token).brk === 0;
  };
  const ignoreOwner = model.groups.length;
  const live: Match[] = [];
  let lastNegated: Match | undefined;
  for (const m of kept) {
    if (negated(m) || listed(lastNegated, m)) {
      lastNegated = m;
      continue;
    }
    if (m.pattern.owner !== ignoreOwner) live.push(m);
  }
  return live;
}

/** The first pay amount far above the sourced pay, or at the scam-compound bait level. */
function payTooHigh(model: AdModel, tokens: readonly Token[], amounts: readonly Amount[], answers: Readonly<Record<string, unknown>>): Amount | undefined {
  const job = answers.job;
  if (typeof job !== 'string') return undefined;
  const pays = amounts.filter((x) => x.kind === 'pay' && x.monthly);
  if (pays.length === 0) return undefined;
  const destination = typeof answers.destination === 'string' ? answers.destination : 'unnamed';
  const places = new Set(model.places.findAll(tokens).map((m) => m.pattern.owner));
  const convert = (value: number, from: string, to: string): number | undefined => {
    const f = model.rates.get(from);
    const t = model.rates.get(to);
    return from === to ? value : f !== undefined && t !== undefined ? (value * f) / t : undefined;
  };
  for (const amount of pays) {
    for (const sp of model.salary.scam_pay) {
      if (!sp.job.includes(job) || !sp.destination.includes(destination)) continue;
      for (const [code, least] of Object.entries(sp.at_least)) {
        const v = convert(amount.value, amount.currency, code);
        if (v !== undefined && v >= least) return amount;
      }
    }
    for (const [ri, r] of model.salary.ranges.entries()) {
      if (!r.job.includes(job) || !(places.has(ri) || amount.currency === r.currency)) continue;
      const v = convert(amount.value, amount.currency, r.currency);
      if (v !== undefined && v > r.monthly * model.salary.far_above) return amount;
    }
  }
  return undefined;
}
