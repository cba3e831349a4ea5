/**
 * `flows:check`: what a schema cannot see. Targets that do not exist, nodes and flows nobody can
 * reach, runs that never ask or end, conditions on answers no question gives, signs that do not
 * exist, labels too long for WhatsApp, and locale keys missing in a language or used nowhere.
 * Content errors are data: this returns problems, it never throws.
 */
import { references, type Condition } from '../common/condition.js';
import { fold } from '../common/normalize.js';
import { BUILTIN_KEYS } from '../engine/keys.js';
import { WAITING_TYPES, successors, type Flow, type FlowNode } from '../engine/flowSchema.js';
import { PAY_ANSWER } from '../risk/adAnalyser.js';
import type { Content, Problem } from './load.js';

/**
 * WhatsApp's limits, which every label must fit: up to three options become reply buttons
 * (title ≤ 20), more become list rows (title ≤ 24).
 */
export const LABEL_LIMITS = { button: 20, row: 24 } as const;

/** Built-in option labels; they are shown as buttons (three options or fewer). */
const BUILTIN_BUTTON_KEYS = ['choices-button', 'answer-yes', 'answer-no', 'answer-unknown', 'rescue-retry', 'rescue-menu', 'rescue-person', 'language-name'];

/** The answer the assess node saves, with its possible values. */
/** The answers a `lookup: recruiter` question saves besides its own (see src/engine/step.ts). */
const LOOKUP_ANSWERS = { reports: 'recruiter_reports', agency: 'agency_check' } as const;

const ASSESS_ANSWER = { name: 'risk_level', values: ['low', 'medium', 'high'] };

/** Checks validated content; returns every problem found (an empty list means all is well). */
export function checkContent(c: Content): Problem[] {
  const problems: Problem[] = [];
  const flows = new Map(c.flows.map((f) => [f.id, f]));
  const fileOf = (flowId: string): string => c.flowFiles.get(flowId) ?? `flows/${flowId}.yaml`;
  const report = (file: string, node: string | undefined, message: string): void => {
    problems.push({ file, ...(node ? { node } : {}), message });
  };

  // Entry points.
  const entries: Array<[string, { flow: string; node: string }]> = [
    ['welcome', c.commands.entry.welcome],
    ['menu', c.commands.entry.menu],
    ['emergency', c.commands.entry.emergency],
    ['person', c.commands.entry.person],
  ];
  for (const [name, pos] of entries) {
    if (!flows.get(pos.flow)?.nodes[pos.node]) report('flows/commands.yaml', undefined, `entry.${name}: no node "${pos.node}" in flow "${pos.flow}"`);
  }
  const menuNode = flows.get(c.commands.entry.menu.flow)?.nodes[c.commands.entry.menu.node];
  if (menuNode && !WAITING_TYPES.has(menuNode.type)) report('flows/commands.yaml', undefined, 'entry.menu must be a node that asks');
  for (const [payload, flowId] of Object.entries(c.commands.entry.start)) {
    if (!flows.has(flowId)) report('flows/commands.yaml', undefined, `entry.start.${payload}: no flow "${flowId}"`);
  }

  // Answers each question can give, for checking conditions.
  const answerValues = new Map<string, Set<string> | null>([
    [ASSESS_ANSWER.name, new Set(ASSESS_ANSWER.values)],
    // No question asks about pay: the answer comes from a forwarded job ad (src/risk/adAnalyser.ts).
    [PAY_ANSWER.answer, new Set([PAY_ANSWER.value])],
  ]);
  for (const flow of c.flows) {
    for (const [id, node] of Object.entries(flow.nodes)) {
      // A recruiter lookup also saves what the caller found (step.ts tellAboutRecruiter).
      if (node.type === 'input' && node.lookup === 'recruiter') {
        answerValues.set(LOOKUP_ANSWERS.reports, null);
        answerValues.set(LOOKUP_ANSWERS.agency, new Set(['found', 'expired', 'not_found', 'no_register']));
      }
      const values = possibleValues(node);
      if (values === undefined) continue;
      const name = 'save' in node && node.save ? node.save : id;
      const prev = answerValues.get(name);
      answerValues.set(name, prev === null || values === null ? null : new Set([...(prev ?? []), ...values]));
    }
  }
  const signIds = new Set(c.catalogue.signs.map((s) => s.id));
  const checkCondition = (file: string, node: string | undefined, cond: Condition, allowSigns: boolean): void => {
    const refs = references(cond);
    for (const s of refs.signs) {
      if (!allowSigns) report(file, node, `sign conditions are only allowed in signs.yaml (sign "${s}")`);
      else if (!signIds.has(s)) report(file, node, `unknown sign "${s}"`);
    }
    walkAnswerConditions(cond, (answer, values) => {
      if (!answerValues.has(answer)) return report(file, node, `no question saves an answer "${answer}"`);
      const possible = answerValues.get(answer);
      for (const v of values) {
        if (possible && !possible.has(String(v))) report(file, node, `answer "${answer}" is never "${String(v)}"`);
      }
    });
  };

  // Flows: targets, reachability, runs that never stop, conditions, labels.
  const usedKeys = new Set<string>(BUILTIN_KEYS);
  const reachedFlows = new Set<string>(entries.map(([, p]) => p.flow));
  for (const flowId of Object.values(c.commands.entry.start)) reachedFlows.add(flowId);
  for (const flow of c.flows) {
    const file = fileOf(flow.id);
    if (!flow.nodes[flow.start]) report(file, undefined, `start node "${flow.start}" does not exist`);
    for (const [id, node] of Object.entries(flow.nodes)) {
      for (const key of keysOf(node)) usedKeys.add(key);
      for (const target of successors(node)) {
        if (!flow.nodes[target]) report(file, id, `leads to "${target}", which is not a node of this flow`);
      }
      if (node.type === 'goto') {
        if (!flows.has(node.flow)) report(file, id, `goto: no flow "${node.flow}"`);
        reachedFlows.add(node.flow);
      }
      if (node.type === 'branch') for (const k of node.cases) checkCondition(file, id, k.when, false);
      // Only option ids may go into the statistics: never what a person typed.
      if (node.type === 'assess') {
        const choices = new Set(Object.entries(flow.nodes).flatMap(([qid, q]) => (q.type === 'choice' ? [q.save ?? qid] : [])));
        for (const name of node.tally ?? []) if (!choices.has(name)) report(file, id, `tally: "${name}" is not the answer of a choice question of this flow`);
      }
      if (node.type === 'contacts' && !c.contacts.some((x) => x.show.includes(node.show))) {
        report(file, id, `no contact in contacts.yaml is shown for "${node.show}"`);
      }
      if (node.type === 'choice' && node.next === undefined) {
        for (const o of node.options) if (!o.next) report(file, id, `option "${o.id}" leads nowhere (no next on the option or the node)`);
      }
      if (node.type === 'yesno' && node.next === undefined && (!node.yes || !node.no || node.unknown)) {
        report(file, id, node.unknown ? 'a yes/no question with "I don\'t know" needs next (where that answer leads)' : 'a yes/no question needs next, or both yes and no');
      }
      if (node.type === 'choice') {
        const ids = node.options.map((o) => o.id);
        if (new Set(ids).size !== ids.length) report(file, id, 'option ids must be unique');
        // The same word for two options would make the answer depend on the order of the file.
        const owner = new Map<string, string>();
        for (const o of node.options) {
          for (const alias of o.match ?? []) {
            const folded = fold(alias);
            const other = owner.get(folded);
            if (other && other !== o.id) report(file, id, `match word "${alias}" is used by options "${other}" and "${o.id}"`);
            owner.set(folded, o.id);
          }
        }
      }
    }
    const reachable = reachableFrom(flow, flow.start);
    for (const id of Object.keys(flow.nodes)) {
      if (!reachable.has(id) && !entries.some(([, p]) => p.flow === flow.id && p.node === id)) {
        report(file, id, 'unreachable: no node leads here');
      }
    }
    for (const id of Object.keys(flow.nodes)) {
      if (loopsWithoutAsking(flow, id)) report(file, id, 'dead end: from here the flow loops without asking or ending');
    }
  }
  for (const flow of c.flows) {
    if (!reachedFlows.has(flow.id)) report(fileOf(flow.id), undefined, 'unreachable flow: no entry point or goto leads here');
  }

  // Signs.
  for (const sign of c.catalogue.signs) {
    checkCondition('flows/signs.yaml', sign.id, sign.when, true);
    if (sign.escalate) checkCondition('flows/signs.yaml', sign.id, sign.escalate.when, true);
    usedKeys.add(sign.title).add(sign.why).add(sign.safe);
  }
  if (signIds.size !== c.catalogue.signs.length) report('flows/signs.yaml', undefined, 'sign ids must be unique');
  for (const q of c.catalogue.open_questions) {
    checkCondition('flows/signs.yaml', q.id, q.when, false);
    usedKeys.add(q.text);
  }

  // Contacts.
  for (const contact of c.contacts) {
    usedKeys.add(contact.name).add(contact.purpose).add(contact.hours);
    for (const n of contact.numbers) usedKeys.add(n.label);
  }

  // Locales: every used key everywhere, no orphans, labels within the limits.
  for (const loc of c.locales) {
    for (const key of usedKeys) {
      if (!c.translator.has(loc.lang, key)) report(loc.file, undefined, `missing key "${key}"`);
    }
    for (const key of c.translator.keys(loc.lang)) {
      if (!usedKeys.has(key)) report(loc.file, undefined, `orphaned key "${key}": nothing uses it`);
    }
    const labels = [
      ...BUILTIN_BUTTON_KEYS.map((key) => ({ where: undefined as string | undefined, key, limit: LABEL_LIMITS.button })),
      ...c.flows.flatMap((flow) =>
        Object.entries(flow.nodes).flatMap(([id, node]) => labelsOf(node).map((l) => ({ where: `${flow.id}.${id}`, ...l }))),
      ),
    ];
    for (const { where, key, limit } of labels) {
      const length = [...c.translator.t(loc.lang, key)].length;
      if (length > limit) report(loc.file, where, `label "${key}" is ${length} characters; the limit is ${limit}`);
    }
  }
  return problems;
}

/** The values a waiting node can save: a set of ids, null for free input, undefined for no answer. */
function possibleValues(node: FlowNode): Set<string> | null | undefined {
  if (node.type === 'choice') return new Set(node.options.map((o) => o.id));
  if (node.type === 'yesno') return new Set(node.unknown ? ['yes', 'no', 'unknown'] : ['yes', 'no']);
  if (node.type === 'input') return null;
  return undefined;
}

function walkAnswerConditions(cond: Condition, visit: (answer: string, values: Array<string | number | boolean>) => void): void {
  if ('all' in cond) cond.all.forEach((c) => walkAnswerConditions(c, visit));
  else if ('any' in cond) cond.any.forEach((c) => walkAnswerConditions(c, visit));
  else if ('not' in cond) walkAnswerConditions(cond.not, visit);
  else if ('answer' in cond) visit(cond.answer, 'in' in cond ? cond.in : []);
}

function keysOf(node: FlowNode): string[] {
  const keys: string[] = [];
  if ('text' in node && node.text) keys.push(node.text);
  if (node.type === 'choice') keys.push(...node.options.map((o) => o.label));
  if (node.type === 'input') keys.push(node.error);
  return keys;
}

function labelsOf(node: FlowNode): Array<{ key: string; limit: number }> {
  if (node.type !== 'choice') return [];
  const limit = node.options.length <= 3 ? LABEL_LIMITS.button : LABEL_LIMITS.row;
  return node.options.map((o) => ({ key: o.label, limit }));
}

function reachableFrom(flow: Flow, start: string): Set<string> {
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length > 0) {
    const id = todo.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = flow.nodes[id];
    if (node) todo.push(...successors(node));
  }
  return seen;
}

/** True when, from `id`, some path through non-asking nodes comes back to a node already on it. */
function loopsWithoutAsking(flow: Flow, id: string): boolean {
  const onPath = new Set<string>();
  const visit = (nodeId: string): boolean => {
    const node = flow.nodes[nodeId];
    if (!node || WAITING_TYPES.has(node.type)) return false;
    if (onPath.has(nodeId)) return true;
    onPath.add(nodeId);
    const loops = successors(node).some(visit);
    onPath.delete(nodeId);
    return loops;
  };
  return visit(id);
}
