/**
 * One step of a conversation: (engine, session, input, context) → (session, messages, events).
 * Pure: no clock, no I/O. The order of precedence is fixed here so that no flow can switch a
 * safety interrupt off: emergency words, deep links, expiry, commands, pending questions, and
 * only then the current flow. Nor can the per-person message limit (pace.ts): a person told to
 * slow down still gets an answer to the emergency words, `hapus` and its confirmation, and `stop`.
 */
import { evaluate as evaluateCondition, type Condition } from '../common/condition.js';
import { containsPhrase, fold } from '../common/normalize.js';
import type { Engine } from './engine.js';
import { WAITING_TYPES, type FlowNode, type WaitingNode } from './flowSchema.js';
import { matchOption, type MatchOption } from './match.js';
import { K } from './keys.js';
import { paceMessage, startQuiet, type PaceVerdict } from './pace.js';
import { renderAssessment, renderContacts } from './render.js';
import type { CommandName } from './engine.js';
import type {
  AnswerValue,
  Choice,
  EngineEvent,
  HandoffSummary,
  ReportContent,
  StaffAction,
  Input,
  OutgoingMessage,
  Position,
  Session,
  StepContext,
  StepResult,
} from './types.js';

/** Guards against a flow that loops without ever asking (flows:check reports those). */
const MAX_NODES_PER_STEP = 100;
/** Longest free-text answer kept; longer answers are cut at a word boundary. */
const MAX_ANSWER_CHARS = 500;

/** The mutable scratchpad of one step; only `step` creates it and it never escapes. */
interface Run {
  e: Engine;
  s: Session;
  ctx: StepContext;
  out: OutgoingMessage[];
  events: EngineEvent[];
  /** Set when the person confirmed `hapus`: the step returns no session, and the caller erases. */
  erase: boolean;
  /** Set when an emergency alerted staff during this step. */
  alerted?: boolean;
}

/** Runs one step of the conversation. */
export function step(e: Engine, session: Session | null, input: Input, ctx: StepContext): StepResult {
  const fresh = session === null;
  const s: Session = session ? copySession(session) : newSession(e, ctx);
  const run: Run = { e, s, ctx, out: [], events: [], erase: false };
  // Staff acted on the case: the person is told; it is not a message from them (no lastSeenAt).
  // Nobody to tell without a conversation (the caller does not create one for staff).
  if (input.kind === 'staff') {
    if (fresh) return { session: null, messages: [], events: [] };
    staffAction(run, input.action);
    return finish(run);
  }
  const text = inputText(input);
  const folded = text === undefined ? '' : fold(text);
  // After a long silence the old answers are dropped: an old button or answer must not be taken
  // as an answer to a question asked a day ago. The person is told only when a check (or a
  // confirmation) was really in progress.
  // Nor while the person is connected to staff: a case may take days, and its thread must hold.
  const expired = !fresh && !s.relay && ctx.now - s.lastSeenAt > e.idleExpiryMs;
  const interrupted = expired && isInProgress(e, s);
  if (expired) {
    const wasAtMenu = s.at !== null && !interrupted;
    dropProgress(s);
    // The menu does not go stale: a person who left it there can still answer it.
    if (wasAtMenu) s.at = e.entry.menu;
  }
  s.lastSeenAt = ctx.now;
  if (!s.langChosen && ctx.langHint) s.lang = pickLang(e, ctx.langHint);
  if (interrupted) run.events.push({ type: 'session_expired' });
  const pace = countPace(run);

  // The `sos` deep link is the emergency itself, also while connected to staff.
  const sosLink = input.kind === 'start' && input.payload !== undefined && e.entry.start[input.payload] === e.entry.emergency.flow;
  if ((folded !== '' && isEmergency(e, folded)) || sosLink) {
    runFrom(run, e.entry.emergency);
    // Staff see the words that raised the alarm ("tolong saya dikurung"): after the emergency
    // event, so that the case they go to is open by then.
    if (s.relay) relayToStaff(run, input, text);
    return finish(run);
  }

  // Commands work at any time, also after a long silence (hapus above all).
  // They are matched folded ("Menu!" is menu); one made only of punctuation ("?") as typed.
  const command = e.commands.get(folded !== '' ? folded : (text ?? '').trim());

  // Connected to staff with the bot muted: only erase, the way out and the emergency words
  // (above) reach the bot; everything else goes to staff.
  if (s.relay?.muted) {
    answerInRelay(run, input, text, command);
    return finish(run);
  }

  // Writing too fast: one warning, then nothing until the pause is over, except the safety
  // interrupts. A dropped message still counts as handled (the caller saves the session).
  if (pace !== 'ok' && !passesPace(run, input, text, command)) {
    if (pace === 'over') slowDown(run);
    return finish(run);
  }

  if (input.kind === 'start') {
    dropProgress(s);
    const flow = input.payload ? e.entry.start[input.payload] : undefined;
    const target = flow ? e.flows.get(flow) : undefined;
    runFrom(run, target ? { flow: target.id, node: target.start } : fresh ? e.entry.welcome : e.entry.menu);
    return finish(run);
  }

  // With the bot unmuted by staff, the person's messages still reach staff.
  if (s.relay) relayToStaff(run, input, text);
  if ((command === 'done' || command === 'stop') && input.kind === 'text' && s.relay) {
    leaveRelay(run);
    return finish(run);
  }
  // A new person who types "menu" still needs the welcome: it carries the safety note.
  if (command !== undefined && command !== 'done' && input.kind === 'text' && !(fresh && command === 'menu')) {
    runCommand(run, command);
    return finish(run);
  }

  if (interrupted) {
    say(run, K.expired);
    runFrom(run, e.entry.menu);
    return finish(run);
  }

  if (fresh) {
    // The most common first message is the offer itself, forwarded: read it.
    if (text !== undefined && input.kind === 'text' && isAdLike(e, text)) readAd(run, text);
    else runFrom(run, e.entry.welcome);
    return finish(run);
  }

  // A message that arrived long after it was sent, or a button of an earlier question, is no
  // answer to the question asked now: say so and ask again.
  if (ctx.late || (input.kind === 'choice' && input.ask !== undefined && input.ask !== askOf(s))) {
    say(run, ctx.late ? K.lateReply : K.buttonClosed);
    reprompt(run);
    return finish(run);
  }

  if (s.pending) {
    answerPending(run, input, text);
    return finish(run);
  }

  if (s.at === null) {
    runFrom(run, e.entry.menu);
    return finish(run);
  }

  answerCurrent(run, input, text);
  return finish(run);
}

/**
 * The session this step works on, so that the caller's stays as it was (a step computed from a
 * stale session is computed again). One level deep where the step writes into a value (answers,
 * relay), shared where it only ever replaces one (at, pending, prefilled, pace); the golden tests
 * freeze the session they pass in, so a new in-place write fails them. structuredClone did the
 * same in a quarter of the whole step.
 */
function copySession(s: Session): Session {
  const copy: Session = { ...s, answers: { ...s.answers } };
  if (s.relay) copy.relay = { ...s.relay };
  return copy;
}

function finish(run: Run): StepResult {
  if (run.erase) return { session: null, messages: run.out, events: run.events, ...(run.s.pace ? { keptPace: run.s.pace } : {}) };
  return { session: run.s, messages: run.out, events: run.events };
}

function newSession(e: Engine, ctx: StepContext): Session {
  return { v: 1, lang: pickLang(e, ctx.langHint), langChosen: false, at: null, answers: {}, misses: 0, pending: null, lastSeenAt: ctx.now, ...(ctx.pace ? { pace: { ...ctx.pace } } : {}) };
}

/**
 * Phone languages whose speakers read Indonesian best: Malay (common among workers in Malaysia)
 * and the regional languages of Indonesia (Javanese, Sundanese, Madurese, Balinese, Minangkabau,
 * Buginese, Acehnese, Banjar).
 */
const RELATED_LANGS: Record<string, string> = { ms: 'id', jv: 'id', su: 'id', mad: 'id', ban: 'id', min: 'id', bug: 'id', ace: 'id', bjn: 'id' };

/** A channel's language hint: a supported (or related) language as is, any other language English, none the default. */
function pickLang(e: Engine, hint: string | undefined): string {
  if (!hint) return e.t.defaultLang;
  const code = hint.toLowerCase().split(/[-_]/)[0] ?? '';
  const primary = RELATED_LANGS[code] ?? code;
  if (e.t.langs.includes(primary)) return primary;
  return e.t.langs.includes('en') ? 'en' : e.t.defaultLang;
}

/** True when the person was in the middle of something (a question beyond the menu, or a confirmation). */
function isInProgress(e: Engine, s: Session): boolean {
  if (s.pending) return true;
  return s.at !== null && !(s.at.flow === e.entry.menu.flow && s.at.node === e.entry.menu.node);
}

function dropProgress(s: Session): void {
  s.at = null;
  s.pending = null;
  s.answers = {};
  s.misses = 0;
  delete s.prefilled;
}

function inputText(input: Input): string | undefined {
  if (input.kind === 'text') return input.text;
  if (input.kind === 'media') return input.caption;
  return undefined;
}

/**
 * Counts this message against the per-person limit. Not while connected to staff: a person in
 * danger typing fast to a rescuer must never be cut off, and staff, who read every message, can
 * close a case that is abused. Nor a message the provider delivered late: it was written long
 * ago, and "you write too fast" would be untrue (it is still dropped during a pause).
 */
function countPace(run: Run): PaceVerdict {
  const { s, e, ctx } = run;
  if (s.relay) {
    delete s.pace;
    return 'ok';
  }
  const r = paceMessage(s.pace, ctx.now, e.pace, !ctx.late);
  if (r.pace) s.pace = r.pace;
  else delete s.pace;
  return r.verdict;
}

/**
 * The safety interrupts that are answered even while the person is told to slow down (the
 * emergency words are answered before the limit is looked at): `hapus`, a yes or no to its
 * confirmation, and `stop`.
 */
function passesPace(run: Run, input: Input, text: string | undefined, command: CommandName | undefined): boolean {
  if (input.kind === 'text' && (command === 'erase' || command === 'stop')) return true;
  if (run.s.pending?.kind !== 'erase_confirm') return false;
  return pick(run.e, input, text, forMatching(run.e, yesNoOptions(false))) !== undefined;
}

/** The first message over the limit: one calm warning that says when to write again, then quiet. */
function slowDown(run: Run): void {
  const { s, e, ctx } = run;
  if (!s.pace) return;
  s.pace = startQuiet(s.pace, ctx.now, e.pace);
  say(run, K.slowDown, { minutes: Math.max(1, Math.ceil(e.pace.quietMs / 60_000)) });
}

function isEmergency(e: Engine, folded: string): boolean {
  return e.emergencyExact.has(folded) || e.emergencyContains.some((p) => containsPhrase(folded, p));
}

function say(run: Run, key: string, args?: Record<string, string | number>, choices?: Choice[]): void {
  const msg: OutgoingMessage = { text: run.e.t.t(run.s.lang, key, args) };
  if (choices) {
    msg.choices = choices;
    const ask = askOf(run.s);
    if (ask) msg.ask = ask;
    msg.button = run.e.t.t(run.s.lang, K.choicesButton);
  }
  run.out.push(msg);
}

/** The question the person is being asked now, as channels tag buttons with it. */
function askOf(s: Session): string | undefined {
  if (s.pending) return `pending.${s.pending.kind}`;
  return s.at ? `${s.at.flow}.${s.at.node}` : undefined;
}

function runCommand(run: Run, command: NonNullable<ReturnType<Engine['commands']['get']>>): void {
  const { s, e } = run;
  switch (command) {
    case 'menu':
      dropProgress(s);
      runFrom(run, e.entry.menu);
      return;
    case 'help':
      say(run, K.help);
      reprompt(run);
      return;
    case 'language':
      s.pending = { kind: 'language', resume: resumeOf(s) };
      promptPending(run);
      return;
    case 'stop':
      dropProgress(s);
      run.events.push({ type: 'stopped' });
      say(run, K.stopped);
      return;
    case 'erase':
      s.pending = { kind: 'erase_confirm', resume: resumeOf(s) };
      promptPending(run);
      return;
    case 'done':
      // Only meaningful while connected to staff (handled before commands run).
      return;
  }
}

/** Where to go back to after a confirmation: where the interrupted confirmation would have gone, or the current question. */
function resumeOf(s: Session): Position | null {
  return s.pending && 'resume' in s.pending ? s.pending.resume : s.at;
}

/** Walks the flow from `pos`, saying what the nodes say, until a node waits for an answer. */
function runFrom(run: Run, pos: Position): void {
  const { e, s } = run;
  let flowId = pos.flow;
  let nodeId = pos.node;
  for (let i = 0; i < MAX_NODES_PER_STEP; i++) {
    const node = e.flows.get(flowId)?.nodes[nodeId];
    if (!node) return recover(run);
    if (WAITING_TYPES.has(node.type)) {
      // A question the person's job ad already answered is not asked.
      const skipTo = node.type === 'language' ? undefined : prefilledNext(s, flowId, nodeId, node as WaitingNode);
      if (skipTo) {
        flowId = skipTo.flow;
        nodeId = skipTo.node;
        continue;
      }
      if (node.type === 'language') {
        s.pending = { kind: 'language', resume: null };
        s.at = null;
        promptPending(run);
      } else {
        s.at = { flow: flowId, node: nodeId };
        s.misses = 0;
        prompt(run, node as WaitingNode);
      }
      return;
    }
    const next = act(run, flowId, nodeId, node);
    if (next === null) return;
    flowId = next.flow;
    nodeId = next.node;
  }
  recover(run);
}

/** The answers an assess node names for the statistics, as option ids (flows:check makes them choice questions). */
function tallyOf(names: readonly string[] | undefined, answers: Session['answers']): { tally?: Record<string, string> } {
  if (!names?.length) return {};
  const tally: Record<string, string> = {};
  for (const name of names) {
    const value = answers[name];
    if (typeof value === 'string') tally[name] = value;
  }
  return { tally };
}

/** Does what a non-waiting node does; returns where to go next, or null when the run ends here. */
function act(run: Run, flowId: string, nodeId: string, node: FlowNode): Position | null {
  const { e, s } = run;
  const here = (node: string): Position => ({ flow: flowId, node });
  switch (node.type) {
    case 'message':
      say(run, node.text);
      return here(node.next);
    case 'branch': {
      const hit = node.cases.find((c) => evaluateBranch(c.when, s.answers));
      return here(hit ? hit.next : node.else);
    }
    case 'assess': {
      const a = e.assess(s.answers);
      s.answers.risk_level = a.level;
      run.out.push(...renderAssessment(e.t, s.lang, a));
      run.events.push({
        type: 'assessment_completed',
        flow: flowId,
        level: a.level,
        signs: a.signs.map((x) => x.id),
        unknown: a.open.map((x) => x.id),
        ...tallyOf(node.tally, s.answers),
      });
      return here(node.next);
    }
    case 'report': {
      // The number comes from the caller's fresh id (the engine draws nothing itself); without one
      // nothing can be filed, which is a wiring error: the person hears the generic apology.
      const id = run.ctx.newId?.();
      if (!id) {
        recover(run);
        return null;
      }
      const reportId = `R${id}`;
      s.answers.report_id = reportId;
      run.events.push({ type: 'report_filed', reportId, lang: s.lang, report: reportOf(e, s.answers) });
      say(run, K.reportFiled, { id: reportId });
      return here(node.next);
    }
    case 'contacts':
      run.out.push(renderContacts(e.t, s.lang, node.text, e.contacts.filter((c) => c.show.includes(node.show))));
      return here(node.next);
    case 'handoff':
      // No staff behind this service: say so, and the flow goes on to the numbers.
      if (!e.staffed) {
        say(run, K.handoffUnstaffed);
        return here(node.next);
      }
      // Already connected (an emergency on the way here opened the case): nothing to ask.
      if (s.relay) return here(node.next);
      s.pending = { kind: 'consent', at: here(nodeId) };
      promptPending(run);
      return null;
    case 'emergency':
      // No consent first: an urgent case opens at once (or the open one is raised to urgent).
      run.events.push({ type: 'emergency', summary: summaryOf(run) });
      // Connected to staff now, with the bot muted (also when staff had unmuted it): what the
      // person writes next describes the danger, and must not be read as an answer to a question.
      if (e.staffed) {
        if (!s.relay?.muted) enterRelay(run);
        run.alerted = true;
      }
      return here(node.next);
    case 'goto': {
      const flow = e.flows.get(node.flow);
      if (!flow) {
        recover(run);
        return null;
      }
      return { flow: flow.id, node: flow.start };
    }
    case 'end':
      // Connected to staff: after an emergency the person hears that staff know; with the bot
      // muted the flow stops here, unmuted it goes back to where the person was.
      if (s.relay?.muted) {
        if (run.alerted) say(run, K.handoffEmergency);
        return null;
      }
      // "Go on where you were" makes no sense when there is nowhere to go back to: show the menu.
      if (node.then === 'resume' && !s.pending && !s.at) return e.entry.menu;
      if (node.text) say(run, node.text);
      if (node.then === 'menu') {
        dropProgress(s);
        return e.entry.menu;
      }
      if (node.then === 'resume') reprompt(run);
      else dropProgress(s);
      return null;
    default:
      // Waiting nodes are handled by runFrom before act is called.
      return null;
  }
}

function evaluateBranch(cond: Condition, answers: Record<string, AnswerValue>): boolean {
  return evaluateCondition(cond, { answers });
}

/** A content error met at run time (flows:check should have caught it): apologise and show the menu. */
function recover(run: Run): void {
  dropProgress(run.s);
  say(run, K.errorGeneric);
  const menu = run.e.flows.get(run.e.entry.menu.flow)?.nodes[run.e.entry.menu.node];
  if (menu && WAITING_TYPES.has(menu.type)) {
    run.s.at = run.e.entry.menu;
    prompt(run, menu as WaitingNode);
  }
}

// ---------------------------------------------------------------------------------------------
// Asking

/** An option before localisation: its id, its label key, and the plain answer it may stand for. */
interface OptionSpec {
  id: string;
  key: string;
  means?: MatchOption['means'];
  aliases?: string[];
}

/** The options of a waiting node, with ids and labels in every language (for matching). */
function optionsOf(e: Engine, node: WaitingNode): OptionSpec[] {
  switch (node.type) {
    case 'choice':
      return node.options.map((o) => ({ id: o.id, key: o.label, ...(o.means ? { means: o.means } : {}), ...(o.match ? { aliases: o.match } : {}) }));
    case 'yesno':
      return yesNoOptions(node.unknown).map((o) => {
        const words = o.id === 'yes' ? node.match?.yes : o.id === 'no' ? node.match?.no : undefined;
        return words ? { ...o, aliases: words } : o;
      });
    case 'language':
      return languageOptions(e);
    case 'input':
      return [];
  }
}

function yesNoOptions(withUnknown: boolean): OptionSpec[] {
  const base = [
    { id: 'yes', key: K.answerYes },
    { id: 'no', key: K.answerNo },
  ];
  return withUnknown ? [...base, { id: 'unknown', key: K.answerUnknown }] : base;
}

function localise(run: Run, options: OptionSpec[], langOfOption = false): Choice[] {
  return options.map((o) => ({ id: o.id, label: run.e.t.t(langOfOption ? o.id : run.s.lang, o.key) }));
}

function forMatching(e: Engine, options: OptionSpec[], langOfOption = false): MatchOption[] {
  return options.map((o) => ({
    id: o.id,
    ...(o.means ? { means: o.means } : {}),
    ...(o.aliases ? { aliases: o.aliases } : {}),
    labels: langOfOption ? [e.t.t(o.id, o.key)] : e.t.langs.map((l) => e.t.t(l, o.key)),
  }));
}

function prompt(run: Run, node: WaitingNode): void {
  if (node.type === 'language') return promptPending(run);
  const options = optionsOf(run.e, node);
  say(run, node.text, undefined, options.length > 0 ? localise(run, options) : undefined);
}

const RESCUE_OPTIONS = [
  { id: 'retry', key: K.rescueRetry },
  { id: 'menu', key: K.rescueMenu },
  { id: 'person', key: K.rescuePerson },
];

function promptPending(run: Run): void {
  const p = run.s.pending;
  if (!p) return;
  if (p.kind === 'language') say(run, K.languageAsk, undefined, localise(run, languageOptions(run.e), true));
  else if (p.kind === 'erase_confirm') say(run, K.eraseConfirm, { channel: run.ctx.channel }, localise(run, yesNoOptions(false)));
  else if (p.kind === 'consent') {
    const node = handoffNode(run.e, p.at);
    const offer = node ? run.e.t.t(run.s.lang, node.text) + '\n\n' : '';
    run.out.push({ text: offer + run.e.t.t(run.s.lang, K.handoffConsent), choices: localise(run, yesNoOptions(false)), ask: 'pending.consent', button: run.e.t.t(run.s.lang, K.choicesButton) });
  } else say(run, K.rescue, undefined, localise(run, RESCUE_OPTIONS));
}

/** The handoff node a consent question belongs to. */
function handoffNode(e: Engine, at: Position): Extract<FlowNode, { type: 'handoff' }> | undefined {
  const node = e.flows.get(at.flow)?.nodes[at.node];
  return node?.type === 'handoff' ? node : undefined;
}

function languageOptions(e: Engine): OptionSpec[] {
  return e.t.langs.map((l) => ({ id: l, key: K.languageName }));
}

/** Shows again whatever the person was last asked, or the menu when nothing was pending. */
function reprompt(run: Run): void {
  const { s, e } = run;
  if (s.pending) return promptPending(run);
  if (s.relay?.muted && !s.at) return say(run, K.relayReminder);
  const node = s.at ? e.flows.get(s.at.flow)?.nodes[s.at.node] : undefined;
  if (node && WAITING_TYPES.has(node.type)) return prompt(run, node as WaitingNode);
  runFrom(run, e.entry.menu);
}

// ---------------------------------------------------------------------------------------------
// Answering

function answerPending(run: Run, input: Input, text: string | undefined): void {
  const { s, e } = run;
  const p = s.pending;
  if (!p) return;
  if (input.kind === 'media') {
    say(run, K.mediaReply, { kind: input.media });
    return promptPending(run);
  }
  if (p.kind === 'language') {
    const lang = pick(e, input, text, forMatching(e, languageOptions(e), true));
    if (lang === undefined) return miss(run, K.notUnderstoodChoice);
    s.lang = lang;
    s.langChosen = true;
    s.pending = null;
    s.misses = 0;
    say(run, K.languageSet);
    if (p.resume) {
      s.at = p.resume;
      reprompt(run);
    } else runFrom(run, e.entry.menu);
    return;
  }
  if (p.kind === 'erase_confirm') {
    const yn = pick(e, input, text, forMatching(e, yesNoOptions(false)));
    if (yn === 'yes') {
      say(run, K.eraseDone, { channel: run.ctx.channel });
      run.events.push({ type: 'erase_requested', lang: s.lang });
      run.erase = true;
      return;
    }
    if (yn === 'no') {
      s.pending = null;
      s.misses = 0;
      s.at = p.resume;
      say(run, K.eraseCancelled);
      reprompt(run);
      return;
    }
    return miss(run, K.notUnderstoodYesno);
  }
  if (p.kind === 'consent') {
    const yn = pick(e, input, text, forMatching(e, yesNoOptions(false)));
    const node = handoffNode(e, p.at);
    if (yn === undefined) return miss(run, K.notUnderstoodYesno);
    s.pending = null;
    s.misses = 0;
    if (!node) return recover(run);
    if (yn === 'no') {
      say(run, K.handoffDeclined);
      return runFrom(run, { flow: p.at.flow, node: node.next });
    }
    run.events.push({ type: 'handoff_requested', reason: node.reason, priority: node.priority, summary: summaryOf(run) });
    enterRelay(run);
    return say(run, K.handoffAccepted);
  }
  // Rescue: the way-out options come first (their numbers are the ones on screen); the person
  // may also still answer the question they were stuck on.
  s.at = p.resume;
  const choice = pick(e, input, text, forMatching(e, RESCUE_OPTIONS));
  if (choice === undefined) {
    const node = e.flows.get(p.resume.flow)?.nodes[p.resume.node];
    s.pending = null;
    if (node && WAITING_TYPES.has(node.type) && tryAnswer(run, node as WaitingNode, input, text)) return;
    s.pending = p;
    return promptPending(run);
  }
  s.pending = null;
  s.misses = 0;
  if (choice === 'retry') reprompt(run);
  else if (choice === 'menu') {
    dropProgress(s);
    runFrom(run, e.entry.menu);
  } else runFrom(run, e.entry.person);
}

function answerCurrent(run: Run, input: Input, text: string | undefined): void {
  const { s, e } = run;
  const at = s.at;
  const node = at ? e.flows.get(at.flow)?.nodes[at.node] : undefined;
  if (!at || !node || !WAITING_TYPES.has(node.type)) return runFrom(run, e.entry.menu);
  const waiting = node as WaitingNode;
  // A photo or voice note is no answer, but its caption may be one.
  // A long text where the menu or a check question expected a short answer is the offer itself
  // (read before matching: a pasted ad easily contains an option's word, "bahasa", "kerja").
  const expectsShort = waiting.type === 'choice' || waiting.type === 'yesno';
  if (expectsShort && input.kind === 'text' && text !== undefined && isAdLike(e, text) && (at.flow === e.entry.menu.flow || at.flow === checkFlowOf(e))) return readAd(run, text);
  if (tryAnswer(run, waiting, input, text)) return;
  if (input.kind === 'media') {
    say(run, K.mediaReply, { kind: input.media });
    return prompt(run, waiting);
  }
  miss(run, waiting.type === 'input' ? waiting.error : waiting.type === 'yesno' ? K.notUnderstoodYesno : K.notUnderstoodChoice);
}

/** Takes the input as an answer to `node` when it is one, saves it and moves on. */
function tryAnswer(run: Run, node: WaitingNode, input: Input, text: string | undefined): boolean {
  const { s, e } = run;
  const at = s.at;
  if (!at) return false;
  const here = (id: string | undefined): Position | undefined => (id ? { flow: at.flow, node: id } : undefined);
  let value: AnswerValue | undefined;
  let next: Position | undefined;
  if (node.type === 'input') {
    if (text === undefined) return false;
    value = validate(node.validate, text);
    next = here(node.next);
  } else if (node.type === 'choice' || node.type === 'yesno') {
    const id = pick(e, input, text, forMatching(e, optionsOf(e, node)));
    value = id;
    if (node.type === 'choice') next = here(node.options.find((o) => o.id === id)?.next ?? node.next);
    else next = here((id === 'yes' ? node.yes : id === 'no' ? node.no : undefined) ?? node.next);
  } else return false;
  if (value === undefined) return false;
  if (node.type === 'input' && node.lookup === 'recruiter' && text !== undefined) value = tellAboutRecruiter(run, text, value);
  s.answers[node.save ?? at.node] = value;
  s.misses = 0;
  runFrom(run, next ?? e.entry.menu);
  return true;
}

/** The option an input names: a button press by id, or typed text through the matcher. */
function pick(e: Engine, input: Input, text: string | undefined, options: MatchOption[]): string | undefined {
  if (input.kind === 'choice') return options.find((o) => o.id === input.id)?.id;
  return text === undefined ? undefined : matchOption(text, options, e.words);
}

/** An unrecognised answer: once a hint and the question again, then a way out. */
function miss(run: Run, hintKey: string): void {
  const { s } = run;
  s.misses += 1;
  if (s.misses === 1 || (s.pending && s.pending.kind !== 'rescue') || !s.at) {
    say(run, hintKey);
    return reprompt(run);
  }
  s.pending = { kind: 'rescue', resume: s.at };
  promptPending(run);
}

function validate(kind: 'nonempty' | 'number' | 'phone', text: string): AnswerValue | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (kind === 'number') {
    const digits = trimmed.replace(/[.,\s](?=\d{3}\b)/g, '');
    return /^\d+([.,]\d+)?$/.test(digits) ? Number(digits.replace(',', '.')) : undefined;
  }
  if (kind === 'phone') {
    const compact = trimmed.replace(/[\s().-]/g, '');
    return /^\+?\d{7,15}$/.test(compact) ? compact : undefined;
  }
  return trimmed.length <= MAX_ANSWER_CHARS ? trimmed : trimmed.slice(0, trimmed.lastIndexOf(' ', MAX_ANSWER_CHARS) + 1 || MAX_ANSWER_CHARS).trim();
}

// ---------------------------------------------------------------------------------------------
// Hotline staff

/** What staff get when a case opens: the language, the last result and the answers so far. */
function summaryOf(run: Run): HandoffSummary {
  const { s, e } = run;
  // The menu choice and the saved result level are bookkeeping, not answers: staff get the level itself.
  const { menu, risk_level, ...answers } = s.answers;
  const flow = s.at?.flow ?? (s.pending && 'resume' in s.pending ? s.pending.resume?.flow : s.pending?.at.flow);
  const summary: HandoffSummary = { lang: s.lang, ...(flow && flow !== e.entry.menu.flow ? { flow } : {}), signs: [], answers };
  const level = s.answers.risk_level;
  if (level === 'low' || level === 'medium' || level === 'high') {
    summary.level = level;
    summary.signs = e.assess(s.answers).signs.map((x) => x.id);
  }
  return summary;
}

/** The person is now connected to staff: the flows fall silent until the case ends. */
function enterRelay(run: Run): void {
  const { s } = run;
  s.relay = { muted: true, since: s.relay?.since ?? run.ctx.now };
  // No message limit while connected to staff (countPace).
  delete s.pace;
  s.at = null;
  s.pending = null;
  s.misses = 0;
}

/** The person ends the conversation with staff (`selesai`) and is back with the bot. */
function leaveRelay(run: Run): void {
  delete run.s.relay;
  run.events.push({ type: 'handoff_ended' });
  say(run, K.relayEnded);
  dropProgress(run.s);
  runFrom(run, run.e.entry.menu);
}

/** Copies what the person wrote to staff (text, or the kind of a photo or voice note and its caption). */
function relayToStaff(run: Run, input: Input, text: string | undefined): void {
  if (input.kind === 'media') run.events.push({ type: 'relay_message', media: input.media, ...(text !== undefined ? { text } : {}) });
  else if (text !== undefined) run.events.push({ type: 'relay_message', text });
}

/** A message while connected to staff with the bot muted. */
function answerInRelay(run: Run, input: Input, text: string | undefined, command: CommandName | undefined): void {
  const { s } = run;
  if (s.pending) return answerPending(run, input, text);
  if (input.kind === 'text' && command === 'erase') return runCommand(run, 'erase');
  if (input.kind === 'text' && (command === 'done' || command === 'stop')) return leaveRelay(run);
  relayToStaff(run, input, text);
  // Staff cannot see photos or voice notes here (only that one was sent): the person should know.
  if (input.kind === 'media') return say(run, K.relayMedia);
  // An old button, a deep link, or "menu"/"help": the way the chat works now, once more.
  if (input.kind !== 'text' || command !== undefined) say(run, K.relayReminder);
}

/** "Monday 08:00" in the person's language and the hotline's time zone. */
function formatWhen(ms: number, lang: string, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat(lang, { weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone, timeZoneName: 'short' } : {}) }).format(new Date(ms));
}

/** Tells the person what staff did on their case. */
function staffAction(run: Run, action: StaffAction): void {
  const { s, e } = run;
  // The person left the conversation with staff (`selesai`): staff no longer reach them.
  if (!s.relay) return;
  switch (action.type) {
    case 'opened': {
      say(run, K.caseOpened, { id: action.caseId });
      if (!action.onDuty && action.hours) say(run, K.caseOffHours, { hours: action.hours, next: action.nextOnDuty !== undefined ? formatWhen(action.nextOnDuty, s.lang, action.timeZone) : action.hours });
      run.out.push(renderContacts(e.t, s.lang, K.caseUrgentNumbers, e.contacts.filter((c) => c.show.includes('waiting'))));
      return;
    }
    case 'reply':
      return say(run, K.staffReply, { text: action.text });
    case 'claimed':
      return say(run, K.caseClaimed);
    case 'muted':
      if (s.relay) s.relay.muted = true;
      return say(run, K.botPaused);
    case 'unmuted':
      if (s.relay) s.relay.muted = false;
      say(run, K.botResumed);
      return reprompt(run);
    case 'closed':
      delete s.relay;
      say(run, K.caseClosed);
      dropProgress(s);
      return runFrom(run, e.entry.menu);
  }
}

// ---------------------------------------------------------------------------------------------
// Recruiters and reports

/** Words that, next to yes/no words, still say nothing about a recruiter ("tidak ada", "belum punya"). */
const NOTHING_WORDS = new Set(['ada', 'punya', 'tau', 'tahu', 'ingat', 'have', 'any', 'know', 'remember', 'nothing']);

/**
 * "tidak tahu", "gak tau namanya", but also "tidak ada", "belum", "ya", "1": a short answer that
 * names nobody. Taken as a name it would be looked up, and once two reporters wrote "tidak ada",
 * everyone who answers so would be "warned" about a recruiter called "tidak ada".
 */
function isUnknownAnswer(e: Engine, text: string): boolean {
  const folded = fold(text);
  const words = folded.split(' ').filter((w) => w !== '');
  if (words.length === 0 || /^\d{1,2}$/.test(folded)) return true;
  if (words.every((w) => e.words.yes.has(w) || e.words.no.has(w) || e.words.filler.has(w) || NOTHING_WORDS.has(w))) return true;
  return words.length <= 4 && e.words.unknown.some((p) => containsPhrase(folded, p));
}

/**
 * A recruiter the person named: what the reports and the licence register say about them (looked
 * up by the caller), told at once, and saved so that the assessment counts it: reported by enough
 * people, or a licence that expired, are major signs. Returns the answer to save.
 */
function tellAboutRecruiter(run: Run, text: string, value: AnswerValue): AnswerValue {
  const { s, e } = run;
  if (isUnknownAnswer(e, text)) return 'unknown';
  const facts = run.ctx.facts;
  if (facts?.recruiterReports) {
    s.answers.recruiter_reports = facts.recruiterReports;
    say(run, K.recruiterReported, { count: facts.recruiterReports });
  }
  const agency = facts?.agency;
  if (agency?.kind === 'found') say(run, agency.fuzzy ? K.agencyFoundFuzzy : K.agencyFound, { name: agency.name, licence: agency.licence, validUntil: agency.validUntil, importedAt: agency.importedAt });
  else if (agency?.kind === 'expired') say(run, K.agencyExpired, { name: agency.name, licence: agency.licence, validUntil: agency.validUntil, importedAt: agency.importedAt });
  else if (agency?.kind === 'not_found') say(run, K.agencyNotFound, { importedAt: agency.importedAt });
  else if (agency?.kind === 'no_register') say(run, K.agencyNoRegister);
  if (agency) s.answers.agency_check = agency.kind;
  return value;
}

/** The report of the report flow, from its answers (`recruiter_name`, `recruited_job`, `danger`…); "don't know" answers are left out. */
function reportOf(e: Engine, a: Record<string, AnswerValue>): ReportContent {
  const known = (name: string): string | undefined => {
    const v = a[name];
    if (v === undefined || v === 'unknown') return undefined;
    const text = String(v);
    return isUnknownAnswer(e, text) ? undefined : text;
  };
  const pick = <K extends string>(names: Record<K, string>): Partial<Record<K, string>> => {
    const out: Partial<Record<K, string>> = {};
    for (const [key, name] of Object.entries(names) as Array<[K, string]>) {
      const v = known(name);
      if (v !== undefined) out[key] = v;
    }
    return out;
  };
  const how = known('contact_how');
  return {
    recruiter: pick({ name: 'recruiter_name', company: 'recruiter_company', phone: 'recruiter_phone', social: 'recruiter_social', place: 'recruiter_place' }),
    recruited: pick({ relation: 'recruited_relation', destination: 'recruited_destination', job: 'recruited_job' }),
    happened: pick({ sign: 'happened_sign', text: 'happened_text' }),
    danger: a.danger === 'yes',
    contact: { allowed: a.contact_allowed === 'yes', ...(a.contact_allowed === 'yes' && how ? { how } : {}) },
  };
}

// ---------------------------------------------------------------------------------------------
// Job ads

/** The flow of the job-offer check (the `check` deep link's flow). */
function checkFlowOf(e: Engine): string | undefined {
  return e.entry.start.check;
}

/** Long enough to be an ad or a recruiter's message rather than an answer (a forward, a paste). */
function isAdLike(e: Engine, text: string): boolean {
  if (!e.analyseAd || checkFlowOf(e) === undefined) return false;
  return text.length >= 80 && text.trim().split(/\s+/).length >= 10;
}

/**
 * Reads a job ad: says which warning signs it shows, each with the words that show it and why it
 * matters, then goes on with the check, skipping the questions the ad already answered; the
 * final result counts both. Only the answers the person has not given are taken from the ad.
 */
function readAd(run: Run, text: string): void {
  const { e, s } = run;
  const flowId = checkFlowOf(e);
  const flow = flowId ? e.flows.get(flowId) : undefined;
  const ad = e.analyseAd?.(text);
  if (!flow || !ad) return runFrom(run, e.entry.menu);
  const inCheck = s.at?.flow === flow.id;
  if (!inCheck) {
    dropProgress(s);
    s.answers.menu = 'check';
  }
  const taken: string[] = [];
  for (const [name, value] of Object.entries(ad.answers)) {
    if (s.answers[name] !== undefined) continue;
    s.answers[name] = value;
    taken.push(name);
  }
  s.prefilled = [...new Set([...(s.prefilled ?? []), ...taken])];
  run.events.push({ type: 'ad_analysed', signs: ad.signs.map((x) => x.id), answered: taken });
  if (ad.signs.length > 0) {
    // Titles and reasons come from the catalogue, through the same assessment as the result.
    const catalogue = new Map(e.assess(s.answers).signs.map((x) => [x.id, x]));
    const parts = [e.t.t(s.lang, K.adFoundIntro, { count: ad.signs.length })];
    for (const sign of ad.signs) {
      const c = catalogue.get(sign.id);
      if (c) parts.push(e.t.t(s.lang, K.adSign, { title: e.t.t(s.lang, c.title), evidence: sign.evidence, why: e.t.t(s.lang, c.why) }));
    }
    run.out.push({ text: parts.join('\n\n') });
  } else say(run, K.adNothing);
  say(run, K.adContinue);
  runFrom(run, inCheck && s.at ? s.at : { flow: flow.id, node: flow.start });
}

/** Where a question leads when the person's ad already answered it (once); undefined to ask it. */
function prefilledNext(s: Session, flowId: string, nodeId: string, node: WaitingNode): Position | undefined {
  if (node.type === 'language') return undefined;
  const name = node.save ?? nodeId;
  if (!s.prefilled?.includes(name) || s.answers[name] === undefined) return undefined;
  s.prefilled = s.prefilled.filter((n) => n !== name);
  const value = s.answers[name];
  const here = (id: string | undefined): Position | undefined => (id ? { flow: flowId, node: id } : undefined);
  if (node.type === 'choice') return here(node.options.find((o) => o.id === value)?.next ?? node.next);
  if (node.type === 'yesno') return here((value === 'yes' ? node.yes : value === 'no' ? node.no : undefined) ?? node.next);
  return here(node.next);
}
