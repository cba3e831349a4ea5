/**
 * `POST /webhooks/telegram`: the secret header is checked first (401 and nothing stored when it
 * is missing or wrong), then the update (400 when malformed). A message or button press goes
 * through the pipeline (deduplicated on `update_id`) and is answered 200 once stored; the replies
 * go out from the outbox. Webhook replies are not used: the bot needs the ids of what it sends.
 * Updates from the hotline staff group go to the staff input instead (src/handoff/telegramStaffInput.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TelegramChannel } from '../channels/telegram/channel.js';
import { parseUpdate, UpdateSchema, type StaffUpdate } from '../channels/telegram/update.js';
import { safeEqual } from '../common/safeEqual.js';
import type { Pipeline } from '../conversation/pipeline.js';
import { AppError } from '../errors.js';
import { requireJson } from './requireJson.js';

export interface TelegramRouteDeps {
  pipeline: Pipeline;
  channel: TelegramChannel;
  webhookSecret: string;
  bodyLimit: number;
  /** The hotline staff group (HOTLINE_TELEGRAM_CHAT_ID): its updates are staff input, never a person's. */
  staff?: { chatId: number; handle(update: StaffUpdate): Promise<void> };
}

/** Registers the Telegram webhook route. */
export function registerTelegramRoutes(app: FastifyInstance, deps: TelegramRouteDeps): void {
  // The secret is checked before the body is read, so a stranger cannot make us parse anything.
  const checkSecret = async (request: FastifyRequest): Promise<void> => {
    const secret = request.headers['x-telegram-bot-api-secret-token'];
    if (typeof secret !== 'string' || !safeEqual(secret, deps.webhookSecret)) {
      throw new AppError('UNAUTHORIZED', 'The secret token is missing or wrong.');
    }
  };
  app.post('/webhooks/telegram', { bodyLimit: deps.bodyLimit, onRequest: [checkSecret, requireJson] }, async (request) => {
    const update = UpdateSchema.safeParse(request.body);
    if (!update.success) throw new AppError('BAD_REQUEST', 'Not a Telegram update.');

    const parsed = parseUpdate(update.data, deps.staff ? { staffChatId: deps.staff.chatId } : {});
    if (parsed.ignored) request.log.info({ channel: 'telegram', ignored: parsed.ignored }, 'update not handled');
    if (parsed.blocked) await deps.channel.setBlocked(parsed.blocked.chatId, parsed.blocked.blocked);
    // The person's message is recorded first, so that an erase it confirms deletes it too.
    if (parsed.personMessage) await deps.channel.recordPersonMessage(parsed.personMessage.chatId, parsed.personMessage.messageId, parsed.personMessage.date);
    if (parsed.inbound) await deps.pipeline.handle(parsed.inbound);
    // Staff input never fails the webhook: a problem is logged and, where it helps, told in the topic.
    if (parsed.staff) await deps.staff?.handle(parsed.staff);
    // Answering the button press is not worth a provider retry: it runs after the answer.
    if (parsed.callback) void deps.channel.acknowledgeButton(parsed.callback);
    return { ok: true };
  });
}
