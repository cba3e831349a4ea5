/**
 * `npm run telegram:webhook -- set https://bot.example.org` registers the webhook with Telegram
 * (our secret, only the update types we handle) and the command menu in Indonesian and English;
 * `npm run telegram:webhook -- delete` removes the webhook. Reads TELEGRAM_BOT_TOKEN,
 * TELEGRAM_WEBHOOK_SECRET and TELEGRAM_API_ROOT from the environment.
 */
import { Api } from 'grammy';
import { ConfigError, parseConfig, telegramConfig } from '../config.js';
import { loadContent } from '../content/load.js';
import { K } from '../engine/keys.js';

/** The updates the webhook handles; Telegram sends no others. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

/** The command menu: command words the engine knows (flows/commands.yaml), described in each language. */
const MENU: Record<string, Array<{ command: string; key: string }>> = {
  id: [
    { command: 'menu', key: K.telegramCommand.menu },
    { command: 'bantuan', key: K.telegramCommand.help },
    { command: 'bahasa', key: K.telegramCommand.language },
    { command: 'hapus', key: K.telegramCommand.erase },
    { command: 'berhenti', key: K.telegramCommand.stop },
    { command: 'selesai', key: K.telegramCommand.done },
  ],
  en: [
    { command: 'menu', key: K.telegramCommand.menu },
    { command: 'help', key: K.telegramCommand.help },
    { command: 'language', key: K.telegramCommand.language },
    { command: 'delete', key: K.telegramCommand.erase },
    { command: 'stop', key: K.telegramCommand.stop },
    { command: 'done', key: K.telegramCommand.done },
  ],
};

async function main(): Promise<void> {
  const [action, publicUrl] = process.argv.slice(2);
  const config = parseConfig(process.env);
  const telegram = telegramConfig(config);
  if (!telegram) throw new ConfigError('Set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET first.');
  const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });

  if (action === 'delete') {
    await api.deleteWebhook();
    console.log('webhook deleted');
    return;
  }
  if (action !== 'set' || !publicUrl || !/^https:\/\//.test(publicUrl)) {
    throw new ConfigError('usage: npm run telegram:webhook -- set https://<public host> | delete');
  }
  const url = `${publicUrl.replace(/\/+$/, '')}/webhooks/telegram`;
  await api.setWebhook(url, { secret_token: telegram.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] });
  const { content } = loadContent({ flowsDir: config.FLOWS_DIR, localesDir: config.LOCALES_DIR }, config.DEFAULT_LANG);
  if (!content) throw new Error('the content in flows/ and locales/ does not load; run npm run flows:check');
  for (const [lang, commands] of Object.entries(MENU)) {
    const list = commands.map((c) => ({ command: c.command, description: content.translator.t(lang, c.key) }));
    // The default language's menu is also the one for every other language.
    await api.setMyCommands(list, lang === config.DEFAULT_LANG ? {} : { language_code: lang as 'en' });
  }
  console.log(`webhook set to ${url}; command menus set`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
