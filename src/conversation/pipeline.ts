/**
 * The conversation pipeline, the one place where engine, storage and channels meet:
 * dedupe → per-person order → load session → engine step → one atomic commit (session, inbound
 * id, outbox entries). Every channel hands it an InboundMessage. The web chat gets its messages
 * back in the answer; the other channels' messages go to the outbox for the senders.
 *
 * Ordering: one instance runs a person's messages one after another (KeyedQueue); between
 * instances, the commit is a compare-and-set on the session's version, and a step computed
 * from a stale session is simply computed again.
 */
import type { InboundMessage } from '../channels/types.js';
import type { Engine } from '../engine/engine.js';
import { isQuietAt } from '../engine/pace.js';
import { step } from '../engine/step.js';
import type { EngineEvent, Facts, OutgoingMessage, Pace, Session } from '../engine/types.js';
import type { PersonRef } from '../storage/keys.js';
import { UnknownDataKeyError } from '../storage/sealer.js';
import { StoreUnavailableError, type OutboxEntry, type Store } from '../storage/store.js';
import { currentLogIds } from '../logging/logContext.js';
import { KeyedQueue } from './keyedQueue.js';
import type { Log } from './log.js';
import { decodePace, decodeSession, encodeSession } from './sessionCodec.js';

export interface PipelineDeps {
  engine: Engine;
  store: Store;
  log: Pick<Log, 'info' | 'warn'>;
  /** The clock, injected so tests can move time (session expiry). */
  now: () => number;
  /** How long a session is kept after the person's last message. */
  sessionRetentionMs: number;
  /** Channels that answer within the request (the web chat); the others are sent from the outbox. */
  syncChannels?: ReadonlySet<string>;
  /** Called after each commit that wrote outbox entries, so a local sender can start at once. */
  onCommitted?: () => void;
  /**
   * Looks up a recruiter the person names (reports, the licence register) when the question
   * asks for it (`lookup: recruiter`); the engine gets the facts, it does no I/O itself.
   */
  lookupRecruiter?: (text: string) => Promise<Facts>;
  /** Draws a fresh id for what a step may create (a report's number). */
  newId?: () => string;
}

export interface HandleResult {
  /** True when this message id was handled before; nothing else happened. */
  duplicate: boolean;
  /** A staff action for a person who has no conversation any more (erased, expired): nothing was sent. */
  gone?: boolean;
  /** The person is connected to hotline staff after this message (the web chat then asks for their replies). */
  relay?: boolean;
  /** The bot's messages (for a synchronous channel; for the others they are in the outbox). */
  messages: OutgoingMessage[];
  events: EngineEvent[];
}

/** A conversation pipeline over one store. */
export interface Pipeline {
  handle(msg: InboundMessage): Promise<HandleResult>;
  /** Whether the person is connected to hotline staff now (one read of the session; no step). */
  connectedToStaff(person: PersonRef): Promise<boolean>;
  /** Counters for metrics: steps recomputed because another instance wrote first. */
  stats(): { conflicts: number };
}

/** How long a web chat reply is kept with its message id, for a client that retries after losing it. */
const SYNC_REPLY_TTL_MS = 60 * 60 * 1000;

/** How long an erase leaves its version behind (no data), so a late write cannot undo the erase. */
const ERASE_TOMBSTONE_MS = 10 * 60 * 1000;

/** How long the erase marker stops messages that were queued for the person before it (as the channels keep theirs). */
const ERASED_MARKER_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * How long the conversation of a person connected to hotline staff is kept: a case can take days,
 * and the person must still be reachable (and muted from the flows) until it is closed.
 */
const RELAY_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** How often a step is recomputed when another instance wrote first. */
const MAX_ATTEMPTS = 8;

/** Creates the pipeline. */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const queue = new KeyedQueue();
  const sync = deps.syncChannels ?? new Set(['web']);
  const counters = { conflicts: 0 };
  return {
    handle(msg) {
      const person: PersonRef = { channel: msg.channel, id: msg.userId };
      // A staff action reaches every person through the outbox, also on the synchronous web chat.
    const isSync = sync.has(msg.channel) && msg.input.kind !== 'staff';
    return queue.run(`${msg.channel}:${msg.userId}`, () => handleInOrder(deps, counters, isSync, person, msg));
    },
    async connectedToStaff(person) {
      return Boolean(decodeSession(openSealed(deps.store, (await deps.store.loadConversation(person)).session))?.relay);
    },
    stats: () => ({ ...counters }),
  };
}

async function handleInOrder(
  deps: PipelineDeps,
  counters: { conflicts: number },
  sync: boolean,
  person: PersonRef,
  msg: InboundMessage,
): Promise<HandleResult> {
  const { store, engine } = deps;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const loaded = await store.loadConversation(person, msg.messageId);
    if (loaded.seen) return duplicate(deps, msg, loaded.recorded);
    const session = decodeSession(openSealed(store, loaded.session));
    if (loaded.session !== undefined && session === undefined) deps.log.warn({ channel: msg.channel }, 'unreadable session dropped');
    // Staff cannot start a conversation: a person who erased (or whose conversation expired) is
    // gone, and one who left the conversation with staff (`selesai`) is no longer theirs to reach.
    if (msg.input.kind === 'staff' && (session === undefined || (!session.relay && msg.input.action.type !== 'closed'))) {
      return { duplicate: false, gone: true, messages: [], events: [] };
    }
    const now = deps.now();
    const facts = await factsFor(deps, session, msg, now);
    // Right after an erase (its tombstone: a version, no session) the person's message count
    // goes on where it was: `hapus` must not be a way around the per-person limit.
    const keptPace = loaded.session === undefined && loaded.version > 0 ? decodePace(await store.get(store.layout.erasePace(person))) : undefined;
    const result = step(engine, session ?? null, msg.input, {
      channel: msg.channel,
      now,
      ...(facts ? { facts } : {}),
      // Drawn only if the step creates something (a report): no randomness on every message.
      ...(deps.newId ? { newId: deps.newId } : {}),
      ...(msg.langHint ? { langHint: msg.langHint } : {}),
      ...(msg.late ? { late: true } : {}),
      ...(keptPace ? { pace: keptPace } : {}),
    });
    // A staff reply is marked as the staff's own words, so a channel can show who wrote it.
    const fromStaff = msg.input.kind === 'staff' && msg.input.action.type === 'reply';
    // The request this step runs for: the log lines of the entries' deliveries name it (src/logging/logContext.ts).
    const reqId = currentLogIds()?.reqId;
    const origin = reqId ? { reqId } : {};
    const outbox: OutboxEntry[] = [
      ...(sync
        ? []
        : result.messages.map((message): OutboxEntry => ({ kind: 'message', channel: msg.channel, to: msg.userId, at: now, message, ...(msg.caseId ? { caseId: msg.caseId } : {}), ...(fromStaff ? { from: 'staff' as const } : {}), ...origin }))),
      // `seq` names each event for good (this step's session version and its place), so that a
      // redelivered event is recognised by whoever acts on it.
      ...result.events.map((event, i): OutboxEntry => ({ kind: 'event', channel: msg.channel, to: msg.userId, at: now, seq: `${loaded.version + 1}.${i}`, event, ...origin })),
    ];
    const outcome = await store.commitConversation({
      person,
      ...(msg.messageId !== undefined ? { inboundId: msg.messageId } : {}),
      // A synchronous reply is kept with the id for a while: if it is lost on the way, the retry gets it.
      ...(sync && msg.messageId !== undefined ? { inboundRecord: { value: store.sealer.seal(JSON.stringify(result.messages)), ttlMs: SYNC_REPLY_TTL_MS } } : {}),
      expectedVersion: loaded.version,
      // What the person answered is sealed with DATA_KEY before it leaves the process.
      session: result.session ? store.sealer.seal(encodeSession(result.session)) : null,
      sessionTtlMs: result.session ? (result.session.relay ? Math.max(RELAY_SESSION_TTL_MS, deps.sessionRetentionMs) : deps.sessionRetentionMs) : ERASE_TOMBSTONE_MS,
      outbox,
    });
    if (outcome === 'duplicate') return duplicate(deps, msg, (await store.loadConversation(person, msg.messageId)).recorded);
    if (outcome === 'ok') {
      if (result.session === null) await markErased(deps, person, now, result.keptPace);
      for (const event of result.events) deps.log.info({ channel: msg.channel, ...loggable(event) }, 'conversation event');
      if (outbox.length > 0) deps.onCommitted?.();
      return { duplicate: false, messages: sync ? result.messages : [], events: result.events, relay: Boolean(result.session?.relay) };
    }
    // Another instance handled a message of this person first: recompute from its session.
    counters.conflicts += 1;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
  }
  deps.log.warn({ channel: msg.channel }, 'gave up after repeated write conflicts');
  throw new StoreUnavailableError('too many concurrent writes for one person');
}

/**
 * The facts the question being answered asks for (a recruiter's reports and licence), if any.
 * None while the person is told to slow down: the message will be dropped, and a flood at that
 * question must not cost a lookup each.
 */
async function factsFor(deps: PipelineDeps, session: Session | undefined, msg: InboundMessage, now: number): Promise<Facts | undefined> {
  if (!deps.lookupRecruiter || msg.input.kind !== 'text' || !session?.at || session.pending || isQuietAt(session.pace, now, deps.engine.pace)) return undefined;
  const node = deps.engine.flows.get(session.at.flow)?.nodes[session.at.node];
  return node?.type === 'input' && node.lookup === 'recruiter' ? deps.lookupRecruiter(msg.input.text) : undefined;
}

/**
 * What of an event may go to the log: its type and its non-personal fields. Never the text a
 * person wrote to staff, nor the answers of a handoff summary (a recruiter's name, a number).
 */
function loggable(event: EngineEvent): Record<string, unknown> {
  switch (event.type) {
    case 'assessment_completed':
      return { type: event.type, flow: event.flow, level: event.level, signs: event.signs };
    case 'handoff_requested':
      return { type: event.type, reason: event.reason, priority: event.priority, level: event.summary.level };
    case 'relay_message':
      return { type: event.type, ...(event.media ? { media: event.media } : {}) };
    default:
      return { type: event.type };
  }
}

/**
 * Marks the person as erased at once, not only when the erase event is delivered: a message
 * written for them before the erase and still in the outbox (a staff reply whose send is being
 * retried) comes before that event in their lane, and must not reach them after they erased.
 * The channels drop what was written up to the marker; the erase's own messages, written at
 * `now`, still go. Not fatal: the channels' erase handlers write the marker again.
 */
async function markErased(deps: PipelineDeps, person: PersonRef, now: number, pace: Pace | undefined): Promise<void> {
  const { store } = deps;
  // The count is kept as long as it can matter: its window, or the pause it started.
  const paceTtlMs = pace ? Math.max(pace.since + deps.engine.pace.windowMs, pace.quietUntil ?? 0) - now : 0;
  try {
    await Promise.all([
      store.set(store.layout.erasedAt(person), String(now - 1), ERASED_MARKER_TTL_MS),
      pace && paceTtlMs > 0 ? store.set(store.layout.erasePace(person), JSON.stringify(pace), paceTtlMs) : undefined,
    ]);
  } catch {
    deps.log.warn({ channel: person.channel }, 'could not mark the erase at once; queued messages wait for the erase event');
  }
}

/** Opens a sealed session or reply; a damaged one reads as unreadable (''), never as an error for the person; one under a key we lack is 503. */
function openSealed(store: Store, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return store.sealer.open(raw);
  } catch (err) {
    // Sealed with a key this instance does not have (a rotation half rolled out): not the
    // person's fault and not damage. Answer 503 so the provider retries, perhaps on an instance
    // that has the key, instead of starting the person over and writing away their session.
    if (err instanceof UnknownDataKeyError) throw new StoreUnavailableError('a session is sealed with a data key this instance does not have');
    return '';
  }
}

/** A message handled before: nothing happens again; a synchronous channel gets the reply it may have lost. */
function duplicate(deps: PipelineDeps, msg: InboundMessage, recorded: string | undefined): HandleResult {
  deps.log.info({ channel: msg.channel }, 'duplicate inbound message ignored');
  let messages: OutgoingMessage[] = [];
  try {
    if (recorded) messages = JSON.parse(openSealed(deps.store, recorded) ?? '') as OutgoingMessage[];
  } catch {
    // A marker from a channel without stored replies: nothing to repeat.
  }
  return { duplicate: true, messages, events: [] };
}
