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
import type { EngineEvent, Input, OutgoingMessage, Session, StepContext } from '../../src/engine/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIR = fileURLToPath(new URL('./', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
/** The clock of every conversation starts here and moves 1 s per step (plus `advanceMinutes`). */
const START = Date.parse('2026-01-01T08:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const FILE_NAME = /^[a-z][a-z0-9_]*\.[a-z0-9][a-z0-9-]*\.json$/;

// ---------------------------------------------------------------------------------------------
// The file format

const EVENT_TYPES = ['assessment_completed', 'handoff_requested', 'emergency', 'erase_requested', 'session_expired', 'stopped'] as const;
const EventType = z.enum(EVENT_TYPES);
const MediaKind = z.enum(['image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts', 'reaction', 'unsupported']);

/** What the person sends: typed text, a button press, a deep link, or a media message. */
const InSchema = z.union([
  z.string(),
  // A button press; `ask` is the question the button belonged to, as channels report it.
  z.strictObject({ choice: z.string().min(1), ask: z.string().min(1).optional() }),
  z.strictObject({ start: z.string().nullable() }),
  z.strictObject({ media: MediaKind, caption: z.string().optional() }),
]);
type In = z.infer<typeof InSchema>;

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
  /** This step ends with exactly the same message (text and buttons) as the previous step. */
  asksAgain: z.literal(true).optional(),
  /** This step ends with exactly the same message as step N (1-based) ended with. */
  repeats: z.number().int().positive().optional(),
  /** The session is erased (true) or kept (false) after this step. */
  erased: z.boolean().optional(),
});
type StepExpect = z.infer<typeof StepExpectSchema>;

const StepSchema = z.strictObject({
  in: InSchema,
  /** Minutes to move the clock forward before this input (on top of the usual second). */
  advanceMinutes: z.number().nonnegative().optional(),
  /** The message arrived long after it was sent (a provider's late redelivery). */
  late: z.boolean().optional(),
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
    /** Reason and priority of the last `handoff_requested` event. */
    handoff: z.strictObject({ reason: z.string(), priority: z.string() }).optional(),
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
  out: RecordedMessage[];
  events: EngineEvent[];
}

const GoldenSchema = z.strictObject({
  description: z.string().min(10),
  /** Set while the bot does not behave as `expect` says: the test then passes only while `expect` fails. */
  knownIssue: z.string().min(10).optional(),
  channel: z.enum(['web', 'whatsapp', 'telegram']),
  langHint: z.string().optional(),
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
  return i.caption === undefined ? { kind: 'media', media: i.media } : { kind: 'media', media: i.media, caption: i.caption };
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
  for (const s of g.steps) {
    now += 1000 + (s.advanceMinutes ?? 0) * 60_000;
    const ctx: StepContext = { channel: g.channel, now, ...(g.langHint ? { langHint: g.langHint } : {}), ...(s.late ? { late: true } : {}) };
    const r = step(engine, session, toInput(s.in), ctx);
    session = r.session;
    run.transcript.push({ in: s.in, out: r.messages.map(record), events: r.events });
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

function checkStep(run: Run, i: number, e: StepExpect, fail: (msg: string) => void): void {
  const where = `step ${i + 1}`;
  const out = run.outputs[i] ?? [];
  const types = run.transcript[i]?.events.map((ev) => ev.type) ?? [];
  const text = allText(out);
  for (const t of e.events ?? []) if (!types.includes(t)) fail(`${where}: no "${t}" event (got ${show(types)})`);
  for (const t of e.noEvents ?? []) if (types.includes(t)) fail(`${where}: unexpected "${t}" event`);
  for (const s of e.textIncludes ?? []) if (!text.includes(s)) fail(`${where}: output does not include ${show(s)}`);
  for (const s of e.textExcludes ?? []) if (text.includes(s)) fail(`${where}: output includes ${show(s)}`);
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
  if (e.handoff) {
    const h = lastOf(events.filter((ev) => ev.type === 'handoff_requested'));
    if (!h) fail('no handoff_requested event');
    else if (h.reason !== e.handoff.reason || h.priority !== e.handoff.priority)
      fail(`handoff is ${show({ reason: h.reason, priority: h.priority })}, expected ${show(e.handoff)}`);
  }
  const final = lastOf(run.sessions);
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
