// Golden conversation tests as data (DESIGN.md): every `tests/golden/<flow>.<case>.json` is one
// conversation run through the real engine and the real content. Its `expect` is written by hand
// and is the behaviour under test; its `transcript` is the recorded bot output, regenerated with
// `UPDATE_GOLDEN=1 npx vitest run tests/golden` and reviewed as a diff. See README.md here.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadEngine } from '../../src/content/engine.js';
import { step } from '../../src/engine/step.js';
import type { EngineEvent, Facts, Input, OutgoingMessage, ReportContent, Session, StepContext } from '../../src/engine/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIR = fileURLToPath(new URL('./', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
/** The clock of every conversation starts here and moves 1 s per step (plus `advanceMinutes`). */
const START = Date.parse('2026-01-01T08:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const FILE_NAME = /^[a-z][a-z0-9_]*\.[a-z0-9][a-z0-9-]*\.json$/;

// ---------------------------------------------------------------------------------------------
// The file format

const EVENT_TYPES = [
  'assessment_completed',
  'handoff_requested',
  'emergency',
  'relay_message',
  'handoff_ended',
  'report_filed',
  'ad_analysed',
  'erase_requested',
  'session_expired',
  'stopped',
] as const satisfies ReadonlyArray<EngineEvent['type']>;
const EventType = z.enum(EVENT_TYPES);
const MediaKind = z.enum(['image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts', 'reaction', 'unsupported']);

/** Something hotline staff did on the person's case (src/engine/types.ts `StaffAction`). */
const StaffActionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('opened'), caseId: z.string().min(1), onDuty: z.boolean(), hours: z.string().min(1).optional(), nextOnDuty: z.number().int().optional(), timeZone: z.string().min(1).optional() }),
  z.strictObject({ type: z.literal('reply'), text: z.string().min(1) }),
  z.strictObject({ type: z.literal('claimed') }),
  z.strictObject({ type: z.literal('closed') }),
  z.strictObject({ type: z.literal('muted') }),
  z.strictObject({ type: z.literal('unmuted') }),
]);

/**
 * What the caller looked up for the answer of this step (src/engine/types.ts `Facts`): the
 * recruiter's reports and the licence register, as the pipeline hands them to a `lookup` question.
 */
const FactsSchema = z.strictObject({
  recruiterReports: z.number().int().positive().optional(),
  agency: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('no_register') }),
      z.strictObject({ kind: z.literal('found'), name: z.string().min(1), licence: z.string().min(1), validUntil: z.string().min(1), importedAt: z.string().min(1), fuzzy: z.boolean() }),
      z.strictObject({ kind: z.literal('expired'), name: z.string().min(1), licence: z.string().min(1), validUntil: z.string().min(1), importedAt: z.string().min(1) }),
      z.strictObject({ kind: z.literal('not_found'), importedAt: z.string().min(1) }),
    ])
    .optional(),
}) satisfies z.ZodType<Facts>;

/** A family report as `report_filed` carries it (src/engine/types.ts `ReportContent`), written out in full. */
const ReportSchema = z.strictObject({
  recruiter: z.strictObject({ name: z.string().optional(), company: z.string().optional(), phone: z.string().optional(), social: z.string().optional(), place: z.string().optional() }),
  recruited: z.strictObject({ relation: z.string().optional(), destination: z.string().optional(), job: z.string().optional() }),
  happened: z.strictObject({ sign: z.string().optional(), text: z.string().optional() }),
  danger: z.boolean(),
  contact: z.strictObject({ allowed: z.boolean(), how: z.string().optional() }),
}) satisfies z.ZodType<ReportContent>;

/** What the person sends (typed text, a button press, a deep link, a media message), or what staff did. */
const InSchema = z.union([
  z.string(),
  // A button press; `ask` is the question the button belonged to, as channels report it.
  z.strictObject({ choice: z.string().min(1), ask: z.string().min(1).optional() }),
  z.strictObject({ start: z.string().nullable() }),
  z.strictObject({ media: MediaKind, caption: z.string().optional() }),
  // Not from the person: staff acted on the case (opened, replied, claimed, closed, muted or unmuted the bot).
  z.strictObject({ staff: StaffActionSchema }),
]);
type In = z.infer<typeof InSchema>;

/** Whether the person is connected to staff: with the bot muted, unmuted by staff, or not at all. */
const RelayState = z.enum(['muted', 'unmuted', 'none']);
type RelayState = z.infer<typeof RelayState>;

/** One message copied to staff (`relay_message`): its text, or the kind of media and its caption. */
const RelayedSchema = z.union([z.string(), z.strictObject({ media: MediaKind, text: z.string().optional() })]);
type Relayed = string | { media: string; text?: string };

/** Hand-written assertions about one step's output. */
const StepExpectSchema = z.strictObject({
  /** Event types this step must emit. */
  events: z.array(EventType).optional(),
  /** Event types this step must not emit. */
  noEvents: z.array(EventType).optional(),
  /** Substrings that must appear in this step's output (texts and button labels). */
  textIncludes: z.array(z.string().min(1)).optional(),
  /** Substrings that must not appear in this step's output (texts and button labels). */
  textExcludes: z.array(z.string().min(1)).optional(),
  /** Choice ids, in order, of this step's last message (`[]`: it has no buttons). */
  choices: z.array(z.string()).optional(),
  /** This step sends the person nothing (what they wrote went only to staff). */
  silent: z.literal(true).optional(),
  /** This step ends with exactly the same message (text and buttons) as the previous step. */
  asksAgain: z.literal(true).optional(),
  /** This step ends with exactly the same message as step N (1-based) ended with. */
  repeats: z.number().int().positive().optional(),
  /** The session is erased (true) or kept (false) after this step. */
  erased: z.boolean().optional(),
  /** Whether the person is connected to staff after this step. */
  relay: RelayState.optional(),
  /** Exactly what this step copied to staff, in order (`relay_message` events; `[]`: nothing). */
  relayed: z.array(RelayedSchema).optional(),
});
type StepExpect = z.infer<typeof StepExpectSchema>;

const StepSchema = z.strictObject({
  in: InSchema,
  /** Minutes to move the clock forward before this input (on top of the usual second). */
  advanceMinutes: z.number().nonnegative().optional(),
  /**
   * Sends the same input this many times, one second apart (a person writing fast). Every time
   * must get the same reply, recorded once; `expect` is checked after the last time.
   */
  repeat: z.number().int().min(2).optional(),
  /** The message arrived long after it was sent (a provider's late redelivery). */
  late: z.boolean().optional(),
  /** What the caller looked up for this answer (a question with `lookup: recruiter`); none without it. */
  facts: FactsSchema.optional(),
  expect: StepExpectSchema.optional(),
});

/** Hand-written assertions about the whole conversation. */
const ExpectSchema = z
  .strictObject({
    /** Level of the last `assessment_completed` event; null: no check was completed. */
    level: z.enum(['low', 'medium', 'high']).nullable().optional(),
    /** Exactly the sign ids of the last `assessment_completed` event, in any order. */
    signs: z.array(z.string()).optional(),
    /** Exactly the open questions (`unknown`) of the last `assessment_completed` event, in any order. */
    unknown: z.array(z.string()).optional(),
    /** Event types that must appear somewhere in the conversation. */
    events: z.array(EventType).optional(),
    /** Event types that must not appear anywhere in the conversation. */
    noEvents: z.array(EventType).optional(),
    /**
     * The report of the last `report_filed` event, compared exactly (every part written out, key
     * order free); null: no report was filed.
     */
    report: ReportSchema.nullable().optional(),
    /** The report number (`reportId`) of the last `report_filed` event. */
    reportId: z.string().optional(),
    /** Reason and priority of the last `handoff_requested` event. */
    handoff: z.strictObject({ reason: z.string(), priority: z.string() }).optional(),
    /**
     * What staff were given by the last `handoff_requested` or `emergency` event: each key given
     * is compared exactly (`signs` in any order, `answers` as the whole set, `level: null` = none).
     */
    summary: z
      .strictObject({
        lang: z.string().optional(),
        /** The flow the person was in (`null` = none: the menu, or no flow). */
        flow: z.string().nullable().optional(),
        level: z.enum(['low', 'medium', 'high']).nullable().optional(),
        signs: z.array(z.string()).optional(),
        answers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      })
      .optional(),
    /** Whether the person is connected to staff at the end. */
    relay: RelayState.optional(),
    /** Whether the conversation ended with the session erased. */
    erased: z.boolean().optional(),
    /** The language of the session at the end. */
    lang: z.string().optional(),
    /** Choice ids, in order, of the last message of the last step. */
    lastChoices: z.array(z.string()).optional(),
    /** Substrings that must appear somewhere in the bot's output. */
    textIncludes: z.array(z.string().min(1)).optional(),
    /** Substrings that must not appear anywhere in the bot's output. */
    textExcludes: z.array(z.string().min(1)).optional(),
    /** Substrings that must appear in the output of the last step. */
    lastTextIncludes: z.array(z.string().min(1)).optional(),
  })
  .refine((e) => Object.keys(e).length > 0, { message: '`expect` needs at least one assertion' });
type Expect = z.infer<typeof ExpectSchema>;

/** One recorded message; a text of several lines is stored as an array of lines, for readable diffs. */
interface RecordedMessage {
  text: string | string[];
  choices?: Array<{ id: string; label: string }>;
  ask?: string;
}
interface RecordedStep {
  in: In;
  /** A step sent several times (all with this same reply). */
  repeat?: number;
  out: RecordedMessage[];
  events: EngineEvent[];
}

const GoldenSchema = z.strictObject({
  description: z.string().min(10),
  /** Set while the bot does not behave as `expect` says: the test then passes only while `expect` fails. */
  knownIssue: z.string().min(10).optional(),
  channel: z.enum(['web', 'whatsapp', 'telegram']),
  langHint: z.string().optional(),
  /** The fresh id the caller draws for every step (`ctx.newId`, a report's number); none without it. */
  newId: z.string().min(1).optional(),
  steps: z.array(StepSchema).min(1),
  expect: ExpectSchema,
  transcript: z.array(z.unknown()).optional(),
});
type Golden = z.infer<typeof GoldenSchema>;

// ---------------------------------------------------------------------------------------------
// Running a conversation

const engine = loadEngine({ flowsDir: join(ROOT, 'flows'), localesDir: join(ROOT, 'locales') }, 'id', DAY_MS);

function toInput(i: In): Input {
  if (typeof i === 'string') return { kind: 'text', text: i };
  if ('choice' in i) return i.ask === undefined ? { kind: 'choice', id: i.choice } : { kind: 'choice', id: i.choice, ask: i.ask };
  if ('start' in i) return i.start === null ? { kind: 'start' } : { kind: 'start', payload: i.start };
  if ('staff' in i) return { kind: 'staff', action: i.staff };
  return i.caption === undefined ? { kind: 'media', media: i.media } : { kind: 'media', media: i.media, caption: i.caption };
}

/** Freezes a value and everything in it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function record(m: OutgoingMessage): RecordedMessage {
  const lines = m.text.split('\n');
  const out: RecordedMessage = { text: lines.length > 1 ? lines : m.text };
  if (m.choices) out.choices = m.choices.map((c) => ({ id: c.id, label: c.label }));
  if (m.ask) out.ask = m.ask;
  return out;
}

interface Run {
  transcript: RecordedStep[];
  /** The raw output of each step, for the assertions. */
  outputs: OutgoingMessage[][];
  /** The session after each step (null: erased). */
  sessions: Array<Session | null>;
}

function runConversation(g: Golden): Run {
  let session: Session | null = null;
  let now = START;
  const run: Run = { transcript: [], outputs: [], sessions: [] };
  for (const [i, s] of g.steps.entries()) {
    now += (s.advanceMinutes ?? 0) * 60_000;
    let recorded: RecordedStep | undefined;
    let r: ReturnType<typeof step> | undefined;
    for (let time = 1; time <= (s.repeat ?? 1); time++) {
      now += 1000;
      const ctx: StepContext = {
        channel: g.channel,
        now,
        ...(g.langHint ? { langHint: g.langHint } : {}),
        ...(s.late ? { late: true } : {}),
        ...(s.facts ? { facts: s.facts } : {}),
        ...(g.newId ? { newId: () => g.newId ?? '' } : {}),
      };
      // Frozen, so that a step that writes into the session it was given fails here.
      r = step(engine, deepFreeze(session), toInput(s.in), ctx);
      session = r.session;
      const got: RecordedStep = { in: s.in, ...(s.repeat ? { repeat: s.repeat } : {}), out: r.messages.map(record), events: r.events };
      if (recorded && formatJson(got) !== formatJson(recorded)) {
        throw new Error(`step ${i + 1}, time ${time} of ${s.repeat ?? 1}, got another reply than the first (${show(got.out)}): a repeated step must get the same reply every time; split it`);
      }
      recorded = got;
    }
    if (!recorded || !r) continue;
    run.transcript.push(recorded);
    run.outputs.push(r.messages);
    run.sessions.push(r.session);
  }
  return run;
}

// ---------------------------------------------------------------------------------------------
// Checking the hand-written expectations

/** What a person sees of some messages: their texts and button labels. */
const allText = (msgs: OutgoingMessage[]): string =>
  msgs.flatMap((m) => [m.text, ...(m.choices ?? []).map((c) => c.label)]).join('\n');
const lastOf = <T>(xs: readonly T[]): T | undefined => xs[xs.length - 1];
const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
const show = (x: unknown): string => JSON.stringify(x);
/** JSON with the keys of every object sorted, to compare values whatever order their keys were written in. */
const canonical = (x: unknown): string =>
  JSON.stringify(x, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

/** The relay state of a session (an erased session is connected to no one). */
function relayOf(s: Session | null | undefined): RelayState {
  if (!s?.relay) return 'none';
  return s.relay.muted ? 'muted' : 'unmuted';
}

/** The `relay_message` events among some, in the form `relayed` is written. */
function relayedOf(events: readonly EngineEvent[]): Relayed[] {
  return events.flatMap((ev): Relayed[] => {
    if (ev.type !== 'relay_message') return [];
    if (ev.media === undefined) return [ev.text ?? ''];
    return [ev.text === undefined ? { media: ev.media } : { media: ev.media, text: ev.text }];
  });
}

function checkStep(run: Run, i: number, e: StepExpect, fail: (msg: string) => void): void {
  const where = `step ${i + 1}`;
  const out = run.outputs[i] ?? [];
  const types = run.transcript[i]?.events.map((ev) => ev.type) ?? [];
  const text = allText(out);
  for (const t of e.events ?? []) if (!types.includes(t)) fail(`${where}: no "${t}" event (got ${show(types)})`);
  for (const t of e.noEvents ?? []) if (types.includes(t)) fail(`${where}: unexpected "${t}" event`);
  for (const s of e.textIncludes ?? []) if (!text.includes(s)) fail(`${where}: output does not include ${show(s)}`);
  for (const s of e.textExcludes ?? []) if (text.includes(s)) fail(`${where}: output includes ${show(s)}`);
  if (e.silent && out.length > 0) fail(`${where}: expected no reply, got ${show(out.map((m) => m.text))}`);
  const last = lastOf(out);
  if (e.choices) {
    const ids = last?.choices?.map((c) => c.id) ?? [];
    if (show(ids) !== show(e.choices)) fail(`${where}: last message's choices are ${show(ids)}, expected ${show(e.choices)}`);
  }
  const repeats = e.asksAgain ? i : e.repeats;
  if (repeats !== undefined) {
    const before = lastOf(run.outputs[repeats - 1] ?? []);
    if (repeats - 1 >= i) fail(`${where}: "repeats" must name an earlier step`);
    else if (show(last) !== show(before))
      fail(`${where}: expected the question of step ${repeats} again, ${show(before?.text)}, got ${show(last?.text)}`);
  }
  if (e.erased !== undefined && (run.sessions[i] === null) !== e.erased)
    fail(`${where}: session ${e.erased ? 'kept' : 'erased'}, expected ${e.erased ? 'erased' : 'kept'}`);
  if (e.relay !== undefined && relayOf(run.sessions[i]) !== e.relay) fail(`${where}: relay is "${relayOf(run.sessions[i])}", expected "${e.relay}"`);
  if (e.relayed) {
    const relayed = relayedOf(run.transcript[i]?.events ?? []);
    if (show(relayed) !== show(e.relayed)) fail(`${where}: relayed ${show(relayed)} to staff, expected ${show(e.relayed)}`);
  }
}

function checkConversation(run: Run, e: Expect, fail: (msg: string) => void): void {
  const events = run.transcript.flatMap((t) => t.events);
  const types = events.map((ev) => ev.type);
  const assessments = events.filter((ev) => ev.type === 'assessment_completed');
  const assessment = lastOf(assessments);
  if (e.level !== undefined) {
    const level = assessment?.level ?? null;
    if (level !== e.level) fail(`level is ${show(level)}, expected ${show(e.level)}`);
  }
  if (e.signs) {
    if (!assessment) fail('no assessment_completed event, so no signs');
    else if (!sameSet(assessment.signs, e.signs)) fail(`signs are ${show(assessment.signs)}, expected ${show(e.signs)}`);
  }
  if (e.unknown) {
    if (!assessment) fail('no assessment_completed event, so no open questions');
    else if (!sameSet(assessment.unknown, e.unknown)) fail(`open questions are ${show(assessment.unknown)}, expected ${show(e.unknown)}`);
  }
  for (const t of e.events ?? []) if (!types.includes(t)) fail(`no "${t}" event in the conversation`);
  for (const t of e.noEvents ?? []) if (types.includes(t)) fail(`unexpected "${t}" event in the conversation`);
  if (e.report !== undefined || e.reportId !== undefined) {
    const filed = lastOf(events.filter((ev) => ev.type === 'report_filed'));
    if (e.report !== undefined && canonical(filed?.report ?? null) !== canonical(e.report))
      fail(`the report filed is ${show(filed?.report ?? null)}, expected ${show(e.report)}`);
    if (e.reportId !== undefined && filed?.reportId !== e.reportId) fail(`the report number is ${show(filed?.reportId ?? null)}, expected ${show(e.reportId)}`);
  }
  if (e.handoff) {
    const h = lastOf(events.filter((ev) => ev.type === 'handoff_requested'));
    if (!h) fail('no handoff_requested event');
    else if (h.reason !== e.handoff.reason || h.priority !== e.handoff.priority)
      fail(`handoff is ${show({ reason: h.reason, priority: h.priority })}, expected ${show(e.handoff)}`);
  }
  if (e.summary) {
    const opened = lastOf(events.filter((ev) => ev.type === 'handoff_requested' || ev.type === 'emergency'));
    const got = opened?.summary;
    const want = e.summary;
    if (!got) fail('no handoff_requested or emergency event, so no summary');
    else {
      if (want.lang !== undefined && got.lang !== want.lang) fail(`the summary's language is ${show(got.lang)}, expected ${show(want.lang)}`);
      if (want.flow !== undefined && (got.flow ?? null) !== want.flow) fail(`the summary's flow is ${show(got.flow ?? null)}, expected ${show(want.flow)}`);
      if (want.level !== undefined && (got.level ?? null) !== want.level) fail(`the summary's level is ${show(got.level ?? null)}, expected ${show(want.level)}`);
      if (want.signs && !sameSet(got.signs, want.signs)) fail(`the summary's signs are ${show(got.signs)}, expected ${show(want.signs)}`);
      if (want.answers) {
        const sorted = (a: Record<string, unknown>): string => show(Object.entries(a).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
        if (sorted(got.answers) !== sorted(want.answers)) fail(`the summary's answers are ${show(got.answers)}, expected ${show(want.answers)}`);
      }
    }
  }
  const final = lastOf(run.sessions);
  if (e.relay !== undefined && relayOf(final) !== e.relay) fail(`the relay is "${relayOf(final)}" at the end, expected "${e.relay}"`);
  if (e.erased !== undefined && (final === null) !== e.erased)
    fail(`the session was ${final === null ? 'erased' : 'kept'}, expected ${e.erased ? 'erased' : 'kept'}`);
  if (e.lang !== undefined && final?.lang !== e.lang) fail(`the session's language is ${show(final?.lang)}, expected ${show(e.lang)}`);
  const lastOut = lastOf(run.outputs) ?? [];
  if (e.lastChoices) {
    const ids = lastOf(lastOut)?.choices?.map((c) => c.id) ?? [];
    if (show(ids) !== show(e.lastChoices)) fail(`the last message's choices are ${show(ids)}, expected ${show(e.lastChoices)}`);
  }
  const everything = run.outputs.map(allText).join('\n');
  for (const s of e.textIncludes ?? []) if (!everything.includes(s)) fail(`the output never includes ${show(s)}`);
  for (const s of e.textExcludes ?? []) if (everything.includes(s)) fail(`the output includes ${show(s)}`);
  for (const s of e.lastTextIncludes ?? []) if (!allText(lastOut).includes(s)) fail(`the last step's output does not include ${show(s)}`);
}

// ---------------------------------------------------------------------------------------------
// Writing: JSON with short arrays and objects on one line, so that a diff shows what changed

const WIDTH = 110;

/**
 * Formats JSON with two-space indentation, keeping any array or object that fits on one line
 * (`prefix` is the width of what precedes the value on its line, such as its key).
 */
function formatJson(value: unknown, indent = '', prefix = 0): string {
  const flat = flatJson(value);
  if (indent.length + prefix + flat.length <= WIDTH || value === null || typeof value !== 'object') return flat;
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => inner + formatJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner, k.length + 4)}`).join(',\n')}\n${indent}}`;
}

function flatJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(flatJson).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${flatJson(v)}`).join(', ')} }`;
}

// ---------------------------------------------------------------------------------------------
// One test per file

/** A file's JSON, or the parse error, so that one broken file fails its own test and not the whole run. */
function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('golden conversations', () => {
  it('has golden files, all named <flow>.<case>.json', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !FILE_NAME.test(f))).toEqual([]);
  });

  for (const file of files) {
    const path = join(DIR, file);
    const raw = readJson(path);
    const knownIssue = typeof raw === 'object' && raw !== null && 'knownIssue' in raw;
    it(knownIssue ? `${file} [known issue]` : file, async ({ annotate }) => {
      if (raw instanceof Error) throw new Error(`${file} is not valid JSON: ${raw.message}`);
      if (typeof raw !== 'object' || raw === null || !('expect' in raw)) {
        throw new Error(`${file} has no "expect": write by hand what the conversation must show (see README.md)`);
      }
      const parsed = GoldenSchema.safeParse(raw);
      if (!parsed.success) throw new Error(`${file} is not a valid golden file:\n${z.prettifyError(parsed.error)}`);
      const g = parsed.data;
      const run = runConversation(g);

      // The recorded transcript: compared exactly, or rewritten under UPDATE_GOLDEN=1.
      if (UPDATE) {
        writeFileSync(path, formatJson({ ...g, transcript: run.transcript }) + '\n');
      } else if (g.transcript === undefined) {
        throw new Error(`${file} has no transcript yet: run UPDATE_GOLDEN=1 npx vitest run tests/golden and review the diff`);
      } else {
        expect(
          formatJson(run.transcript),
          `${file}: the conversation changed. If the change is intended, run UPDATE_GOLDEN=1 npx vitest run tests/golden and review the diff`,
        ).toBe(formatJson(g.transcript));
      }

      // The hand-written expectations.
      const failures: string[] = [];
      const fail = (msg: string): void => void failures.push(msg);
      g.steps.forEach((s, i) => s.expect && checkStep(run, i, s.expect, fail));
      checkConversation(run, g.expect, fail);
      if (g.knownIssue) {
        // Stays green while the issue is there; turns red once it is fixed, so the note goes.
        expect(failures, `${file}: the known issue seems fixed; remove "knownIssue"`).not.toEqual([]);
        await annotate(`known issue: ${g.knownIssue}\n${failures.join('\n')}`, 'notice');
      } else {
        expect(failures, `${file}: ${g.description}`).toEqual([]);
      }
    });
  }
});
