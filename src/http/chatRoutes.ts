/**
 * The web chat API. `POST /api/v1/chat/messages` goes through the same pipeline as every other
 * channel and answers with the bot's messages at once. `POST /api/v1/chat/updates` hands the page
 * what reached the person in between (hotline staff's replies, from the web inbox), while the
 * person is connected to staff.
 */
import type { FastifyInstance } from 'fastify';
import { ChatRequestSchema, toChatAnswer, toInbound, UpdatesRequestSchema } from '../channels/web/chatRequest.js';
import type { WebInbox } from '../channels/web/inbox.js';
import type { Pipeline } from '../conversation/pipeline.js';
import { AppError } from '../errors.js';
import type { LimitHook } from './ipLimits.js';
import { requireJson } from './requireJson.js';
import { describeIssue } from './validation.js';

/** Registers the chat API. */
export function registerChatRoutes(app: FastifyInstance, deps: { pipeline: Pipeline; inbox: Pick<WebInbox, 'read'>; bodyLimit: number; limit: LimitHook; updatesLimit: LimitHook }): void {
  // The per-address limits (src/http/ipLimits.ts) before anything is read. The updates have their
  // own, far above what pages polling every few seconds ask (each costs a session read, a
  // decryption and a list read), so that a flood of them is refused without touching the chat's.
  app.post('/api/v1/chat/messages', { bodyLimit: deps.bodyLimit, onRequest: [deps.limit, requireJson] }, async (request) => {
    const parsed = ChatRequestSchema.safeParse(request.body);
    if (!parsed.success) throw new AppError('BAD_REQUEST', describeIssue(parsed.error));
    const result = await deps.pipeline.handle(toInbound(parsed.data));
    // A retried message is not stepped again, so whether staff are there is read from the session.
    const staff = result.duplicate ? await deps.pipeline.connectedToStaff({ channel: 'web', id: parsed.data.session }) : result.relay === true;
    return { ...toChatAnswer(result.messages, staff), ...(result.duplicate ? { duplicate: true } : {}) };
  });

  app.post('/api/v1/chat/updates', { bodyLimit: deps.bodyLimit, onRequest: [deps.updatesLimit, requireJson] }, async (request) => {
    const parsed = UpdatesRequestSchema.safeParse(request.body);
    if (!parsed.success) throw new AppError('BAD_REQUEST', describeIssue(parsed.error));
    const { session, after } = parsed.data;
    // The state before the messages: when staff closed the case, their last messages may still be
    // on their way through the outbox, so the page asks a few more times after `staff: false`.
    const staff = await deps.pipeline.connectedToStaff({ channel: 'web', id: session });
    const messages = await deps.inbox.read(session, after);
    return { messages, staff };
  });
}
