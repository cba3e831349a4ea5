/**
 * The conversation pipeline, the one place where engine, storage and channels meet:
 * dedupe → per-person order → load session → engine step → save (or erase).
 * Every channel hands it an InboundMessage; the web chat gets the messages back at once.
 */
import type { InboundMessage } from '../channels/types.js';
import type { Engine } from '../engine/engine.js';
import { step } from '../engine/step.js';
import type { EngineEvent, OutgoingMessage } from '../engine/types.js';
import { INBOUND_ID_TTL_MS, keys, type PersonRef } from '../storage/keys.js';
import type { Store } from '../storage/store.js';
import { KeyedQueue } from './keyedQueue.js';
import { decodeSession, encodeSession } from './sessionCodec.js';

/** The part of a pino logger the pipeline uses. */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface PipelineDeps {
  engine: Engine;
  store: Store;
  log: Log;
  /** The clock, injected so tests can move time (session expiry). */
  now: () => number;
  /** How long a session is kept after the person's last message. */
  sessionRetentionMs: number;
  /** Called with the engine's events after they are stored (handoff, metrics). */
  onEvents?: (person: PersonRef, events: EngineEvent[]) => void;
}

export interface HandleResult {
  /** True when this message id was handled before; nothing else happened. */
  duplicate: boolean;
  messages: OutgoingMessage[];
  events: EngineEvent[];
}

/** A conversation pipeline over one store. */
export interface Pipeline {
  handle(msg: InboundMessage): Promise<HandleResult>;
}

/** Creates the pipeline. */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const queue = new KeyedQueue();
  return {
    handle(msg) {
      const person: PersonRef = { channel: msg.channel, id: msg.userId };
      return queue.run(keys.session(person), () => handleInOrder(deps, person, msg));
    },
  };
}

async function handleInOrder(deps: PipelineDeps, person: PersonRef, msg: InboundMessage): Promise<HandleResult> {
  const { store, engine } = deps;
  const inboundKey = msg.messageId ? keys.inbound(msg.channel, msg.messageId) : undefined;
  if (inboundKey && !(await store.setIfAbsent(inboundKey, '1', INBOUND_ID_TTL_MS))) {
    deps.log.info({ channel: msg.channel }, 'duplicate inbound message ignored');
    return { duplicate: true, messages: [], events: [] };
  }
  try {
    const sessionKey = keys.session(person);
    const raw = await store.get(sessionKey);
    const session = decodeSession(raw);
    if (raw !== undefined && session === undefined) deps.log.warn({ channel: msg.channel }, 'unreadable session dropped');
    const result = step(engine, session ?? null, msg.input, {
      channel: msg.channel,
      now: deps.now(),
      ...(msg.langHint ? { langHint: msg.langHint } : {}),
    });
    if (result.session) await store.set(sessionKey, encodeSession(result.session), deps.sessionRetentionMs);
    else await store.delete(...keys.allOf(person));
    for (const event of result.events) deps.log.info({ channel: msg.channel, ...event }, 'conversation event');
    deps.onEvents?.(person, result.events);
    return { duplicate: false, messages: result.messages, events: result.events };
  } catch (err) {
    // Not handled after all: forget the id so that the provider's retry is processed.
    if (inboundKey) await store.delete(inboundKey).catch(() => undefined);
    throw err;
  }
}
