/**
 * `POST /api/v1/chat/messages`: the web chat. It goes through the same pipeline as every other
 * channel and answers with the bot's messages at once.
 */
import type { FastifyInstance } from 'fastify';
import { ChatRequestSchema, toChatAnswer, toInbound } from '../channels/web/chatRequest.js';
import type { Pipeline } from '../conversation/pipeline.js';
import { AppError } from '../errors.js';
import { requireJson } from './requireJson.js';
import { describeIssue } from './validation.js';

/** Registers the chat API. */
export function registerChatRoutes(app: FastifyInstance, deps: { pipeline: Pipeline; bodyLimit: number }): void {
  app.post('/api/v1/chat/messages', { bodyLimit: deps.bodyLimit, onRequest: requireJson }, async (request) => {
    const parsed = ChatRequestSchema.safeParse(request.body);
    if (!parsed.success) throw new AppError('BAD_REQUEST', describeIssue(parsed.error));
    const result = await deps.pipeline.handle(toInbound(parsed.data));
    return { ...toChatAnswer(result.messages), ...(result.duplicate ? { duplicate: true } : {}) };
  });
}
