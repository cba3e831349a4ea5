/**
 * The WhatsApp webhook.
 * - `GET /webhooks/whatsapp`: Meta's verification handshake (`hub.mode=subscribe`, the verify
 *   token, `hub.challenge` echoed as plain text); anything else is 403.
 * - `POST /webhooks/whatsapp`: the signature over the raw bytes is checked first (401 and nothing
 *   stored when it is missing or wrong), then the envelope (400 when malformed), then every message
 *   goes through the pipeline. 200 only after all are stored; the replies go out from the outbox.
 */
import type { FastifyInstance } from 'fastify';
import { parseWebhook, WebhookSchema, type StatusFailure } from '../channels/whatsapp/webhook.js';
import { verifySignature } from '../channels/whatsapp/signature.js';
import { safeEqual } from '../common/safeEqual.js';
import type { Pipeline } from '../conversation/pipeline.js';
import { AppError } from '../errors.js';
import { decodeUtf8, notJson } from './jsonBody.js';
import { requireJson } from './requireJson.js';

export interface WhatsAppRouteDeps {
  pipeline: Pipeline;
  appSecret: string;
  verifyToken: string;
  /** Messages to other numbers of the business account are not answered. */
  phoneNumberId: string;
  staleAfterMs: number;
  bodyLimit: number;
  now: () => number;
  /** Told about failed deliveries that status webhooks report (for staff and metrics). */
  onStatusFailure?: (failure: StatusFailure) => void | Promise<void>;
}

/** Registers the WhatsApp webhook routes. */
export async function registerWhatsAppRoutes(app: FastifyInstance, deps: WhatsAppRouteDeps): Promise<void> {
  app.get('/webhooks/whatsapp', async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const token = q['hub.verify_token'];
    const challenge = q['hub.challenge'];
    if (q['hub.mode'] !== 'subscribe' || typeof token !== 'string' || !safeEqual(token, deps.verifyToken) || typeof challenge !== 'string' || !challenge) {
      throw new AppError('FORBIDDEN');
    }
    return reply.type('text/plain; charset=utf-8').send(challenge);
  });

  // The signature is over the exact bytes Meta sent, so this route reads the body raw.
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.post('/webhooks/whatsapp', { bodyLimit: deps.bodyLimit, onRequest: requireJson }, async (request) => {
      const raw = request.body as Buffer;
      if (!verifySignature(raw, request.headers['x-hub-signature-256'] as string | undefined, deps.appSecret)) {
        throw new AppError('UNAUTHORIZED', 'The signature is missing or wrong.');
      }
      // Bytes that are not UTF-8 make no JSON text (jsonBody.ts), even under a valid signature.
      const text = decodeUtf8(raw);
      if (text === undefined) throw notJson();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw notJson();
      }
      const envelope = WebhookSchema.safeParse(json);
      if (!envelope.success) throw new AppError('BAD_REQUEST', 'Not a WhatsApp Business Account webhook.');

      const parsed = parseWebhook(envelope.data, deps.now(), deps.staleAfterMs, deps.phoneNumberId);
      for (const failure of parsed.failures) {
        request.log.warn({ channel: 'whatsapp', code: failure.code, title: failure.title }, 'delivery failed (status webhook)');
        // Reporting a failure never fails the webhook (Meta would redeliver the whole batch).
        await Promise.resolve(deps.onStatusFailure?.(failure)).catch((err: unknown) =>
          request.log.error({ channel: 'whatsapp', code: failure.code, err: err instanceof Error ? err.name : 'error' }, 'a failed status could not be reported'),
        );
      }
      if (Object.keys(parsed.ignored).length > 0) request.log.info({ channel: 'whatsapp', ignored: parsed.ignored }, 'webhook content not handled');
      // Different people in parallel; the pipeline keeps each person's messages in order.
      await Promise.all(parsed.messages.map((m) => deps.pipeline.handle(m)));
      return { received: parsed.messages.length };
    });
  });
}
