/**
 * Reads and writes sessions as JSON. A stored session that no longer parses (a bug, or a
 * schema change without a migration) is dropped and the person starts again: one lost
 * conversation is better than a person stuck behind an error.
 */
import { z } from 'zod';
import type { Pace, Session } from '../engine/types.js';

const Position = z.object({ flow: z.string(), node: z.string() });

const PaceSchema = z.object({ since: z.number(), count: z.number().int().min(0), quietUntil: z.number().optional() });

const SessionSchema = z.object({
  v: z.literal(1),
  lang: z.string(),
  langChosen: z.boolean(),
  at: Position.nullable(),
  answers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  misses: z.number().int().min(0),
  pending: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('erase_confirm'), resume: Position.nullable() }),
      z.object({ kind: z.literal('language'), resume: Position.nullable() }),
      z.object({ kind: z.literal('rescue'), resume: Position }),
      z.object({ kind: z.literal('consent'), at: Position }),
    ])
    .nullable(),
  lastSeenAt: z.number(),
  relay: z.object({ muted: z.boolean(), since: z.number() }).optional(),
  prefilled: z.array(z.string()).optional(),
  pace: PaceSchema.optional(),
});

/** Parses a stored session; undefined when it is missing or unreadable. */
export function decodeSession(raw: string | undefined): Session | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed = SessionSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Serialises a session for the store. */
export function encodeSession(session: Session): string {
  return JSON.stringify(session);
}

/** Reads the message count an erase kept (Session.pace alone); anything else reads as none. */
export function decodePace(raw: string | undefined): Pace | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed = PaceSchema.safeParse(JSON.parse(raw));
    return parsed.success ? (parsed.data as Pace) : undefined;
  } catch {
    return undefined;
  }
}
