/**
 * The assessment: from a check's answers to a level, the signs found and the open questions.
 * Pure and explainable: every sign found names the rule that found it, and the level follows
 * from counting severities against the thresholds written in `flows/signs.yaml`.
 */
import { evaluate } from '../common/condition.js';
import type { Catalogue, Severity, Thresholds } from './signs.js';

export type RiskLevel = 'low' | 'medium' | 'high';

/** One sign found, with the severity it has in this case (after escalation). */
export interface FoundSign {
  id: string;
  severity: Severity;
  weight: number;
  title: string;
  why: string;
  safe: string;
}

/** An important question the person could not answer, with the locale key that says what to find out. */
export interface OpenQuestion {
  id: string;
  text: string;
}

export interface Assessment {
  level: RiskLevel;
  /** Heaviest first. */
  signs: FoundSign[];
  open: OpenQuestion[];
  /** Sum of the weights of the signs found. */
  score: number;
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, major: 1, minor: 2 };

/** Assesses a check's answers against the catalogue. */
export function assess(catalogue: Catalogue, answers: Readonly<Record<string, string | number | boolean>>): Assessment {
  // `when` conditions are evaluated in file order, so a `sign:` condition sees the signs above it;
  // escalations are evaluated once every sign is known, so they may name any sign.
  const found = new Set<string>();
  const matched = catalogue.signs.filter((sign) => {
    const hit = evaluate(sign.when, { answers, signs: found });
    if (hit) found.add(sign.id);
    return hit;
  });
  const signs: FoundSign[] = matched.map((sign) => ({
    id: sign.id,
    severity:
      sign.escalate && evaluate(sign.escalate.when, { answers, signs: found }) ? sign.escalate.to : sign.severity,
    weight: sign.weight,
    title: sign.title,
    why: sign.why,
    safe: sign.safe,
  }));
  signs.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.weight - a.weight);

  const open = catalogue.open_questions
    .filter((q) => evaluate(q.when, { answers, signs: found }))
    .map((q) => ({ id: q.id, text: q.text }));

  const counts = {
    critical: signs.filter((s) => s.severity === 'critical').length,
    major: signs.filter((s) => s.severity === 'major').length,
    minor: signs.filter((s) => s.severity === 'minor').length,
    unknown: open.length,
  };
  const level: RiskLevel = reaches(counts, catalogue.rules.high)
    ? 'high'
    : reaches(counts, catalogue.rules.medium)
      ? 'medium'
      : 'low';
  return { level, signs, open, score: signs.reduce((sum, s) => sum + s.weight, 0) };
}

function reaches(counts: Record<keyof Thresholds, number>, t: Thresholds): boolean {
  return (Object.keys(t) as Array<keyof Thresholds>).some((k) => {
    const min = t[k];
    return min !== undefined && counts[k] >= min;
  });
}
