/**
 * The shape of the YAML files in `flows/`: flows made of nodes, and the commands file that lists
 * interrupt words and entry points. Validated with zod when loaded; `flows:check` then checks
 * what a schema cannot (targets, reachability, locale keys).
 */
import { z } from 'zod';
import { ConditionSchema } from '../common/condition.js';

const Id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower-case letters, digits and _');
/** A key into `locales/`. */
const Key = z.string().regex(/^[a-z][a-z0-9-]*$/, 'locale keys use lower-case letters, digits and -');

const Option = z.strictObject({
  id: Id,
  label: Key,
  /** Where this option leads; defaults to the node's `next`. */
  next: Id.optional(),
  /** A plain yes / no / "don't know" also picks this option ("tidak" for "No, nothing to pay"). */
  means: z.enum(['yes', 'no', 'unknown']).optional(),
  /**
   * Other words people type for this option, in any language (matched as whole words after
   * folding; the longest one found wins). Matching vocabulary, never shown to anyone.
   */
  match: z.array(z.string().min(2)).optional(),
});

const MessageNode = z.strictObject({ type: z.literal('message'), text: Key, next: Id });

const ChoiceNode = z.strictObject({
  type: z.literal('choice'),
  text: Key,
  /** The answer name under which the option id is saved; defaults to the node id. */
  save: Id.optional(),
  options: z.array(Option).min(2).max(10),
  next: Id.optional(),
});

const YesNoNode = z.strictObject({
  type: z.literal('yesno'),
  text: Key,
  save: Id.optional(),
  /** Offer "I don't know" as a third answer, saved as `unknown`. */
  unknown: z.boolean().default(false),
  /** Words that mean yes or no for this question only ("aman" to "are you safe?"). */
  match: z.strictObject({ yes: z.array(z.string().min(2)).optional(), no: z.array(z.string().min(2)).optional() }).optional(),
  next: Id.optional(),
  yes: Id.optional(),
  no: Id.optional(),
});

const InputNode = z.strictObject({
  type: z.literal('input'),
  text: Key,
  save: Id.optional(),
  validate: z.enum(['nonempty', 'number', 'phone']),
  /** Shown with the question again when the answer does not validate. */
  error: Key,
  /**
   * `recruiter`: the answer names a recruiter (a number, a name, an agency); the caller looks it
   * up in the reports and the licence register and hands the facts to the step.
   */
  lookup: z.enum(['recruiter']).optional(),
  next: Id,
});

const BranchNode = z.strictObject({
  type: z.literal('branch'),
  cases: z.array(z.strictObject({ when: ConditionSchema, next: Id })).min(1),
  else: Id,
});

const AssessNode = z.strictObject({
  type: z.literal('assess'),
  /**
   * Answers of choice questions (their option ids, never free text) that go with the result into
   * the anonymous statistics of the console's insights (`destination`, `job`).
   */
  tally: z.array(Id).max(8).optional(),
  next: Id,
});

/** Files a family report from the answers of the report flow (see step.ts `reportOf` for the answer names). */
const ReportNode = z.strictObject({ type: z.literal('report'), next: Id });

const ContactsNode = z.strictObject({
  type: z.literal('contacts'),
  /** The heading shown above the list. */
  text: Key,
  /** Which contacts to list: those whose `show` includes this tag. */
  show: Id,
  next: Id,
});

const HandoffNode = z.strictObject({
  type: z.literal('handoff'),
  reason: z.enum(['high_risk', 'asked_for_person', 'abroad', 'report']),
  priority: z.enum(['urgent', 'high', 'normal']),
  text: Key,
  next: Id,
});

const EmergencyNode = z.strictObject({ type: z.literal('emergency'), next: Id });

const LanguageNode = z.strictObject({ type: z.literal('language'), text: Key });

const GotoNode = z.strictObject({ type: z.literal('goto'), flow: Id });

const EndNode = z.strictObject({
  type: z.literal('end'),
  text: Key.optional(),
  /** `menu` shows the menu; `resume` returns to where an interrupt found the person; `stop` waits quietly. */
  then: z.enum(['menu', 'resume', 'stop']),
});

export const NodeSchema = z.discriminatedUnion('type', [
  MessageNode,
  ChoiceNode,
  YesNoNode,
  InputNode,
  BranchNode,
  AssessNode,
  ReportNode,
  ContactsNode,
  HandoffNode,
  EmergencyNode,
  LanguageNode,
  GotoNode,
  EndNode,
]);

export const FlowSchema = z.strictObject({
  id: Id,
  start: Id,
  nodes: z.record(Id, NodeSchema),
});

/** Interrupt words and entry points, from `flows/commands.yaml`. Words are matched after folding. */
export const CommandsSchema = z.strictObject({
  entry: z.strictObject({
    /** Shown to a person the first time (or after `stop`/expiry). */
    welcome: z.strictObject({ flow: Id, node: Id }),
    menu: z.strictObject({ flow: Id, node: Id }),
    emergency: z.strictObject({ flow: Id, node: Id }),
    /** Where "talk to a person" leads (from the menu, or as a way out after repeated misunderstandings). */
    person: z.strictObject({ flow: Id, node: Id }),
    /** Deep-link payloads (Telegram `/start check`, web `?start=check`) to flows. */
    start: z.record(Id, Id),
  }),
  emergency: z.strictObject({
    /** The whole message is one of these. */
    exact: z.array(z.string().min(1)).min(1),
    /** The message contains one of these as whole words. */
    contains: z.array(z.string().min(1)),
  }),
  commands: z.strictObject({
    menu: z.array(z.string().min(1)).min(1),
    help: z.array(z.string().min(1)).min(1),
    language: z.array(z.string().min(1)).min(1),
    stop: z.array(z.string().min(1)).min(1),
    erase: z.array(z.string().min(1)).min(1),
    /** Ends the conversation with hotline staff; only while connected (elsewhere it is plain text). */
    done: z.array(z.string().min(1)).min(1),
  }),
  answers: z.strictObject({
    yes: z.array(z.string().min(1)).min(1),
    no: z.array(z.string().min(1)).min(1),
    unknown: z.array(z.string().min(1)).min(1),
    filler: z.array(z.string().min(1)).default([]),
  }),
});

export type FlowNode = z.infer<typeof NodeSchema>;
export type Flow = z.infer<typeof FlowSchema>;
export type Commands = z.infer<typeof CommandsSchema>;
export type ChoiceNode = z.infer<typeof ChoiceNode>;
export type YesNoNode = z.infer<typeof YesNoNode>;
export type InputNode = z.infer<typeof InputNode>;
/** Nodes that wait for the person's answer. */
export type WaitingNode = ChoiceNode | YesNoNode | InputNode | z.infer<typeof LanguageNode>;

/** Node types that stop the run and wait for input. */
export const WAITING_TYPES = new Set(['choice', 'yesno', 'input', 'language']);

/** Returns the nodes a node can lead to, inside its own flow. */
export function successors(node: FlowNode): string[] {
  switch (node.type) {
    case 'choice':
      return unique([...node.options.map((o) => o.next ?? node.next), node.next]);
    case 'yesno':
      return unique([node.yes ?? node.next, node.no ?? node.next, node.next]);
    case 'branch':
      return unique([...node.cases.map((c) => c.next), node.else]);
    case 'message':
    case 'input':
    case 'assess':
    case 'report':
    case 'contacts':
    case 'handoff':
    case 'emergency':
      return [node.next];
    case 'language':
    case 'goto':
    case 'end':
      return [];
  }
}

function unique(ids: Array<string | undefined>): string[] {
  return [...new Set(ids.filter((x): x is string => x !== undefined))];
}
