/**
 * A loopback HTTP fake of the Telegram Bot API (`POST /bot<token>/<method>`).
 *
 * Why a real server and not a mock: the channel sends through grammY's `Api` with a configurable
 * `apiRoot`, so the tests exercise grammY's URL building (`${apiRoot}/bot${token}/${method}`),
 * its JSON and multipart payloads, its error classes (`GrammyError`, `HttpError`) and the
 * `@grammyjs/auto-retry` transformer exactly as they run in production. The fake rejects what
 * Telegram rejects, with Telegram's status codes and `{ ok: false, error_code, description }`
 * bodies, so a renderer that breaks a limit fails here and not in a person's chat.
 *
 * Every rule and error wording is taken from the Bot API reference or from Telegram's answers
 * seen verbatim in public code; the sources are listed in tests/channels/telegram/fixtures/README.md
 * ("Bot API facts"). Where a wording is not documented, the fake follows the style of the Bot
 * API server ("Bad Request: " + lower-case text, or the MTProto error name in capitals) and the
 * README says so. Tests should match on `error_code` and on the documented descriptions only.
 *
 * Forum supergroups (the hotline staff group) are registered with `addForum`: topics are created,
 * renamed, closed, reopened and deleted under the bot's admin rights there, messages carry their
 * topic, and `getChatMember` answers from the members a test sets with `setChatMember`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

// ---------------------------------------------------------------------------------------------
// Limits (Bot API reference)
// ---------------------------------------------------------------------------------------------

/** Telegram's documented limits for what Waspada sends. */
export const BOT_API_LIMITS = {
  /** sendMessage / editMessageText `text`: 1-4096 characters after entity parsing. */
  text: 4096,
  /** InlineKeyboardButton `callback_data`: 1-64 bytes (UTF-8, not characters). */
  callbackDataBytes: 64,
  /** answerCallbackQuery `text`: 0-200 characters. */
  callbackAnswerText: 200,
  /** deleteMessages `message_ids`: 1-100 identifiers. */
  deleteMessagesIds: 100,
  /** deleteMessage: only messages sent less than 48 hours ago. */
  deleteWindowSeconds: 48 * 60 * 60,
  /** setMyCommands: at most 100 commands, command 1-32 of [a-z0-9_], description 1-256. */
  commands: 100,
  commandName: 32,
  commandDescription: 256,
  /** setWebhook `secret_token`: 1-256 characters of A-Z, a-z, 0-9, _ and -. */
  secretToken: 256,
  /** createForumTopic / editForumTopic `name`: 1-128 characters. */
  topicName: 128,
} as const;

/** The topic icon colours createForumTopic accepts (RGB). */
export const TOPIC_ICON_COLORS = [0x6fb9f0, 0xffd67e, 0xcb86db, 0x8eee98, 0xff93b2, 0xfb6f5f] as const;

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/** The ways the fake can be told to fail the next calls. */
export type FailureKind = 'too-many-requests' | 'blocked' | 'server' | 'network';

/** Options for {@link FakeBotApi.failNext}. */
export interface FailureOptions {
  /** Only calls of this method fail (case-insensitive, like Telegram's method names); others pass. */
  method?: string;
  /** For `too-many-requests`: the `retry_after` seconds to announce (default 1). */
  retryAfter?: number;
}

/** The body of a Bot API error answer, as Telegram sends it. */
export interface BotApiErrorBody {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** What happened to one recorded call. */
export type CallOutcome =
  | {
      kind: 'ok';
      result: unknown;
      description?: string;
      /** What the answer does not say, e.g. which ids deleteMessages deleted and which it skipped. */
      detail?: Record<string, unknown>;
    }
  | {
      kind: 'error';
      httpStatus: number;
      errorCode: number;
      description: string;
      retryAfter?: number;
      injected?: Exclude<FailureKind, 'network'>;
    }
  | { kind: 'dropped'; injected: 'network' };

/** One call the fake received, in arrival order. */
export interface RecordedCall {
  /** The method as Telegram knows it (`sendMessage`), whatever case the caller used. */
  method: string;
  /** HTTP method and path (the path contains the token, as Telegram's URLs do). */
  httpMethod: string;
  path: string;
  /** `json`, `form` (urlencoded), `multipart` or `none`. */
  encoding: 'json' | 'form' | 'multipart' | 'none';
  /** The parameters after decoding: JSON-serialized fields of form bodies are parsed back. */
  params: Record<string, unknown>;
  outcome: CallOutcome;
  /** The fake's clock (unix seconds) when the call arrived. */
  at: number;
}

/** One inline keyboard button as a test wants to see it. */
export interface FakeButton {
  text: string;
  callback_data?: string;
  url?: string;
}

/** A message that currently exists in a chat (what deletion has not removed yet). */
export interface FakeMessage {
  message_id: number;
  /** Unix seconds; sendMessage uses the fake's clock, tests may change it with setMessageDate. */
  date: number;
  /** `bot` for messages the bot sent, `person` for messages registered with recordUserMessage. */
  sender: 'bot' | 'person';
  /** The text as Telegram shows it: markup of `parse_mode` removed, escapes resolved. */
  text?: string;
  /** The inline keyboard currently attached (echoed back like Telegram does). */
  reply_markup?: { inline_keyboard: unknown[][] };
  edit_date?: number;
  /** The forum topic the message is in (absent: a private chat, or a forum's General topic). */
  message_thread_id?: number;
}

/** A forum topic as the fake keeps it. */
export interface FakeTopic {
  message_thread_id: number;
  name: string;
  icon_color: number;
  closed: boolean;
}

/** A chat member's status, as getChatMember reports it. */
export type FakeMemberStatus = 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';

/** A user as a test describes them (a staff member, a stranger). */
export interface FakeUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  is_bot?: boolean;
}

/** The bot's rights in a forum (an administrator's `can_*` flags). */
export interface ForumOptions {
  /** Manage Topics: create, edit, close, reopen topics, and post in closed ones (default true). */
  canManageTopics?: boolean;
  /** Delete Messages: also needed by deleteForumTopic (default true). */
  canDeleteMessages?: boolean;
}

/** The webhook as the last setWebhook left it. */
export interface FakeWebhook {
  url: string;
  secret_token?: string;
  allowed_updates?: string[];
  max_connections?: number;
  drop_pending_updates?: boolean;
}

/** A bot command as setMyCommands stores it. */
export interface FakeBotCommand {
  command: string;
  description: string;
}

/** The bot's own user, as getMe returns it. */
export interface FakeBotUser {
  id: number;
  is_bot: true;
  first_name: string;
  username: string;
  can_join_groups: boolean;
  can_read_all_group_messages: boolean;
  supports_inline_queries: boolean;
  can_connect_to_business: boolean;
  has_main_web_app: boolean;
  has_topics_enabled: boolean;
  allows_users_to_create_topics: boolean;
  can_manage_bots: boolean;
  supports_join_request_queries: boolean;
}

/** The running fake. */
export interface FakeBotApi {
  /** Pass as grammY's `apiRoot`, e.g. `http://127.0.0.1:41234` (no trailing slash: grammY refuses one). */
  readonly url: string;
  /** The only token the fake accepts. */
  readonly token: string;
  /** What getMe answers; `id` is the number before the token's colon, as for real tokens. */
  readonly bot: FakeBotUser;
  /** Every call, accepted or not, in arrival order. */
  readonly calls: RecordedCall[];
  /** The webhook as set, or null when none is set. */
  readonly webhook: FakeWebhook | null;
  /** The calls of one method (case-insensitive), in order. */
  callsOf(method: string): RecordedCall[];
  /** What the person read: the rendered texts of accepted sendMessage calls to the chat, in order. */
  textsTo(chatId: number | string): string[];
  /** The inline keyboard of the newest message in the chat that still has one, as rows; undefined if none. */
  keyboardOf(chatId: number | string): FakeButton[][] | undefined;
  /** The messages that currently exist in the chat, oldest first (deleted ones are gone). */
  messagesIn(chatId: number | string): FakeMessage[];
  /** Registers a message the person sent (Telegram knows it; the fake cannot), so deleting it can be tested. */
  recordUserMessage(chatId: number | string, messageId: number, date?: number, text?: string): void;
  /** Backdates (or postdates) a known message, e.g. past the 48-hour deletion window. */
  setMessageDate(chatId: number | string, messageId: number, unixSeconds: number): void;
  /** The commands stored for a scope and language (default scope, no language when omitted). */
  commandsFor(languageCode?: string, scope?: { type: string; [key: string]: unknown }): FakeBotCommand[];
  /** Makes a chat a forum supergroup (topics enabled) with the bot as an administrator there; again, changes the bot's rights. */
  addForum(chatId: number, options?: ForumOptions): void;
  /** Sets a user's membership of a chat, as getChatMember will report it (`is_member` for `restricted`). */
  setChatMember(chatId: number, user: FakeUser, status: FakeMemberStatus, options?: { isMember?: boolean }): void;
  /** The forum's topics that exist, oldest first. */
  topicsOf(chatId: number): FakeTopic[];
  /** The texts of accepted sendMessage calls in one topic of a forum, in order. */
  textsInTopic(chatId: number, threadId: number): string[];
  /** The fake's clock in unix seconds. */
  now(): number;
  /** Moves the fake's clock forward (or back, with a negative number). */
  advanceClock(seconds: number): void;
  /** Fails the next `n` matching calls the given way, then behaves normally again. */
  failNext(n: number, kind: FailureKind, options?: FailureOptions): void;
  /** Forgets calls, messages, failures, webhook, commands and clock offset (port and token stay). */
  reset(): void;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

/** Options for {@link startFakeBotApi}. */
export interface FakeBotApiOptions {
  /** The bot token to require in `/bot<token>/`; use the real shape `<digits>:<secret>`. */
  token: string;
  /** The bot's username for getMe (default `WaspadaTestBot`). */
  username?: string;
  /** The base clock in unix seconds (default: the real time); advanceClock adds to it. */
  clock?: () => number;
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

interface Rejection {
  httpStatus: number;
  description: string;
  retryAfter?: number;
}

/** A 400, the code Telegram uses for every parameter problem. */
function bad(description: string): Rejection {
  return { httpStatus: 400, description: `Bad Request: ${description}` };
}

function errorBody(r: Rejection): BotApiErrorBody {
  // Telegram's error_code is always the HTTP status of the answer.
  return {
    ok: false,
    error_code: r.httpStatus,
    description: r.description,
    ...(r.retryAfter !== undefined ? { parameters: { retry_after: r.retryAfter } } : {}),
  };
}

/** The injected failures' answers, verbatim as Telegram sends them. */
function injected(kind: Exclude<FailureKind, 'network'>, retryAfter: number): Rejection {
  switch (kind) {
    case 'too-many-requests':
      return { httpStatus: 429, description: `Too Many Requests: retry after ${retryAfter}`, retryAfter };
    case 'blocked':
      return { httpStatus: 403, description: 'Forbidden: bot was blocked by the user' };
    case 'server':
      return { httpStatus: 500, description: 'Internal Server Error' };
  }
}

const TEXT_EMPTY = bad('message text is empty');
const TEXT_TOO_LONG = bad('message is too long');
const BUTTON_DATA_INVALID = bad('BUTTON_DATA_INVALID');
const NOT_MODIFIED = bad(
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
);
const QUERY_TOO_OLD = bad('query is too old and response timeout expired or query ID is invalid');
const DELETE_NOT_FOUND = bad('message to delete not found');
const DELETE_TOO_OLD = bad("message can't be deleted for everyone");

// ---------------------------------------------------------------------------------------------
// Text and entity parsing (a faithful-enough subset of Telegram's three parse modes)
// ---------------------------------------------------------------------------------------------

type Parsed = { ok: true; text: string } | { ok: false; error: string };

/** Telegram counts the text limit in characters; the fake counts Unicode code points. */
function chars(s: string): number {
  return Array.from(s).length;
}

/** Telegram reports parse errors at UTF-8 byte offsets. */
function byteOffset(s: string, i: number): number {
  return Buffer.byteLength(s.slice(0, i), 'utf8');
}

const MARKDOWN_V2_RESERVED = new Set(Array.from('_*[]()~`>#+-=|{}.!'));
const ENTITY_NAMES: Record<string, string> = {
  bold: 'Bold',
  italic: 'Italic',
  underline: 'Underline',
  strikethrough: 'Strikethrough',
  spoiler: 'Spoiler',
  link: 'TextUrl',
  emoji: 'CustomEmoji',
};

/**
 * MarkdownV2: every reserved character outside an entity must be escaped with `\`; `*`, `_`,
 * `__`, `~`, `||` open and close entities that must nest properly; `` ` `` / ``` open code;
 * `[text](url)` and `![emoji](tg://emoji?id=…)` are links; `>` opens a quote at a line start.
 * Returns the text as shown (markup removed), or Telegram's kind of error.
 */
function parseMarkdownV2(src: string): Parsed {
  let out = '';
  const open: Array<{ kind: string; at: number }> = [];
  const reserved = (c: string): Parsed => ({
    ok: false,
    error: `Character '${c}' is reserved and must be escaped with the preceding '\\'`,
  });
  const unclosed = (kind: string, at: number): Parsed => ({
    ok: false,
    error: `Can't find end of ${ENTITY_NAMES[kind] ?? kind} entity at byte offset ${byteOffset(src, at)}`,
  });
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    if (c === '\\') {
      const next = src.charCodeAt(i + 1);
      if (Number.isNaN(next) || next < 1 || next > 126) return reserved('\\');
      out += src.charAt(i + 1);
      i += 2;
      continue;
    }
    if (c === '`') {
      const fence = src.startsWith('```', i);
      const start = i;
      i += fence ? 3 : 1;
      if (fence) {
        // ```language\n…``` : the first line names the language and is not shown.
        const newline = src.indexOf('\n', i);
        const close = src.indexOf('```', i);
        if (newline !== -1 && (close === -1 || newline < close) && /^[\w+-]*$/.test(src.slice(i, newline))) i = newline + 1;
      }
      let closed = false;
      while (i < src.length) {
        const d = src.charAt(i);
        if (d === '\\' && i + 1 < src.length) {
          out += src.charAt(i + 1);
          i += 2;
          continue;
        }
        if (fence ? src.startsWith('```', i) : d === '`') {
          i += fence ? 3 : 1;
          closed = true;
          break;
        }
        out += d;
        i += 1;
      }
      if (!closed) return { ok: false, error: `Can't find end of ${fence ? 'Pre' : 'Code'} entity at byte offset ${byteOffset(src, start)}` };
      continue;
    }
    const toggle = (kind: string, width: number): Parsed | null => {
      const top = open[open.length - 1];
      if (top?.kind === kind) open.pop();
      else {
        const outer = open.find((e) => e.kind === kind);
        if (outer) return unclosed(open[open.length - 1]?.kind ?? kind, open[open.length - 1]?.at ?? outer.at);
        open.push({ kind, at: i });
      }
      i += width;
      return null;
    };
    let problem: Parsed | null | undefined;
    if (c === '*') problem = toggle('bold', 1);
    else if (c === '_') problem = src.charAt(i + 1) === '_' ? toggle('underline', 2) : toggle('italic', 1);
    else if (c === '~') problem = toggle('strikethrough', 1);
    else if (c === '|' && src.charAt(i + 1) === '|') problem = toggle('spoiler', 2);
    if (problem !== undefined) {
      if (problem) return problem;
      continue;
    }
    if (c === '[' || (c === '!' && src.charAt(i + 1) === '[')) {
      open.push({ kind: c === '!' ? 'emoji' : 'link', at: i });
      i += c === '!' ? 2 : 1;
      continue;
    }
    const top = open[open.length - 1];
    if (c === ']' && (top?.kind === 'link' || top?.kind === 'emoji')) {
      if (src.charAt(i + 1) !== '(') return { ok: false, error: `Can't find end of a URL at byte offset ${byteOffset(src, i + 1)}` };
      let j = i + 2;
      while (j < src.length && src.charAt(j) !== ')') j += src.charAt(j) === '\\' ? 2 : 1;
      if (j >= src.length) return { ok: false, error: `Can't find end of a URL at byte offset ${byteOffset(src, i + 2)}` };
      open.pop();
      i = j + 1;
      continue;
    }
    if (c === '>' && (i === 0 || src.charAt(i - 1) === '\n')) {
      i += 1;
      continue;
    }
    if (MARKDOWN_V2_RESERVED.has(c)) return reserved(c);
    out += c;
    i += 1;
  }
  const last = open[open.length - 1];
  if (last) return unclosed(last.kind, last.at);
  return { ok: true, text: out };
}

/** Legacy Markdown: `*bold*`, `_italic_`, `` `code` ``, ```` ```pre``` ````, `[text](url)`; no nesting. */
function parseMarkdown(src: string): Parsed {
  let out = '';
  let i = 0;
  const unclosed = (at: number): Parsed => ({ ok: false, error: `Can't find end of the entity starting at byte offset ${byteOffset(src, at)}` });
  while (i < src.length) {
    const c = src.charAt(i);
    if (c === '\\' && '_*`['.includes(src.charAt(i + 1)) && i + 1 < src.length) {
      out += src.charAt(i + 1);
      i += 2;
      continue;
    }
    if (c === '*' || c === '_' || c === '`') {
      const marker = c === '`' && src.startsWith('```', i) ? '```' : c;
      const close = src.indexOf(marker, i + marker.length);
      if (close === -1) return unclosed(i);
      out += src.slice(i + marker.length, close);
      i = close + marker.length;
      continue;
    }
    if (c === '[') {
      const end = src.indexOf(']', i + 1);
      if (end === -1 || src.charAt(end + 1) !== '(' || src.indexOf(')', end + 2) === -1) return unclosed(i);
      out += src.slice(i + 1, end);
      i = src.indexOf(')', end + 2) + 1;
      continue;
    }
    out += c;
    i += 1;
  }
  return { ok: true, text: out };
}

const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji', 'tg-time']);

/** HTML: only Telegram's tags, properly closed; `<` must be `&lt;`; unknown `&…` stays literal. */
function parseHtml(src: string): Parsed {
  let out = '';
  const stack: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    if (c === '<') {
      const close = src.indexOf('>', i);
      if (close === -1) return { ok: false, error: `Unclosed start tag at byte offset ${byteOffset(src, i)}` };
      const raw = src.slice(i + 1, close);
      if (raw.startsWith('/')) {
        const name = raw.slice(1).trim().toLowerCase();
        const top = stack.pop();
        if (top === undefined) return { ok: false, error: `Unexpected end tag at byte offset ${byteOffset(src, i)}` };
        if (name !== '' && name !== top) {
          return { ok: false, error: `Unmatched end tag at byte offset ${byteOffset(src, i)}, expected "</${top}>", found "</${name}>"` };
        }
      } else {
        const name = (/^[a-zA-Z][a-zA-Z-]*/.exec(raw)?.[0] ?? '').toLowerCase();
        if (!HTML_TAGS.has(name)) return { ok: false, error: `Unsupported start tag "${name}" at byte offset ${byteOffset(src, i)}` };
        if (name === 'span' && !/class\s*=\s*"tg-spoiler"/.test(raw)) {
          return { ok: false, error: `Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(src, i)}` };
        }
        stack.push(name);
      }
      i = close + 1;
      continue;
    }
    if (c === '&') {
      const entity = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i.exec(src.slice(i));
      if (entity) {
        const name = (entity[1] ?? '').toLowerCase();
        const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
        out += named[name] ?? String.fromCodePoint(name.startsWith('#x') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
        i += entity[0].length;
        continue;
      }
    }
    out += c;
    i += 1;
  }
  const top = stack[stack.length - 1];
  if (top !== undefined) return { ok: false, error: `Can't find end tag corresponding to start tag "${top}"` };
  return { ok: true, text: out };
}

/** Checks a message text the way sendMessage / editMessageText do; returns the shown text. */
function checkText(text: unknown, parseMode: unknown): { text: string } | Rejection {
  if (typeof text !== 'string') return TEXT_EMPTY;
  let shown = text;
  if (parseMode !== undefined && parseMode !== null && parseMode !== '') {
    const mode = String(parseMode);
    const parsed =
      mode === 'MarkdownV2' ? parseMarkdownV2(text) : mode === 'Markdown' ? parseMarkdown(text) : mode === 'HTML' ? parseHtml(text) : null;
    if (parsed === null) return bad(`unsupported parse_mode`);
    if (!parsed.ok) return bad(`can't parse entities: ${parsed.error}`);
    shown = parsed.text;
  }
  // "1-4096 characters after entities parsing"; Telegram trims surrounding whitespace first.
  if (shown.trim().length === 0) return TEXT_EMPTY;
  if (chars(shown) > BOT_API_LIMITS.text) return TEXT_TOO_LONG;
  return { text: shown };
}

// ---------------------------------------------------------------------------------------------
// Reply markup
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The fields that make an inline button do something; a button needs exactly one. */
const BUTTON_ACTIONS = [
  'callback_data',
  'url',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
];

/**
 * Validates `reply_markup`. Returns the inline keyboard to echo (only inline keyboards are part
 * of a Message), `null` for other or absent markups, or a rejection.
 */
function checkReplyMarkup(markup: unknown): { inline: { inline_keyboard: unknown[][] } | null } | Rejection {
  if (markup === undefined || markup === null) return { inline: null };
  if (!isObject(markup)) return bad('object expected as reply markup');
  if (!('inline_keyboard' in markup)) return { inline: null };
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows)) return bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
  for (const row of rows) {
    if (!Array.isArray(row)) return bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
    for (const button of row) {
      if (!isObject(button)) return bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
      if (typeof button.text !== 'string') return bad(`can't parse inline keyboard button: Field "text" must be of type String`);
      if (!BUTTON_ACTIONS.some((k) => k in button)) {
        return bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      }
      if ('callback_data' in button) {
        // 1-64 *bytes*: an Indonesian id in ASCII fits 64 characters, accented or emoji data does not.
        const data = button.callback_data;
        if (typeof data !== 'string') return bad(`can't parse inline keyboard button: Field "callback_data" must be of type String`);
        const bytes = Buffer.byteLength(data, 'utf8');
        if (bytes < 1 || bytes > BOT_API_LIMITS.callbackDataBytes) return BUTTON_DATA_INVALID;
      }
      if ('url' in button && typeof button.url !== 'string') return bad(`can't parse inline keyboard button: Field "url" must be of type String`);
    }
  }
  return { inline: { inline_keyboard: rows as unknown[][] } };
}

function isRejection(v: object): v is Rejection {
  return 'httpStatus' in v;
}

// ---------------------------------------------------------------------------------------------
// Request decoding
// ---------------------------------------------------------------------------------------------

/** Fields that Telegram reads as JSON when they arrive as strings (form and multipart bodies). */
const JSON_FIELDS = new Set([
  'reply_markup',
  'entities',
  'caption_entities',
  'message_ids',
  'commands',
  'scope',
  'allowed_updates',
  'link_preview_options',
  'reply_parameters',
]);
const NUMBER_FIELDS = new Set(['chat_id', 'message_id', 'max_connections', 'cache_time', 'message_thread_id', 'user_id', 'icon_color']);
const BOOLEAN_FIELDS = new Set(['show_alert', 'drop_pending_updates', 'disable_notification', 'protect_content']);

/** Turns form strings into what a JSON body would have carried, as Telegram does. */
function coerce(key: string, value: unknown): unknown {
  if (typeof value !== 'string') {
    // chat_id "123" in JSON is the same chat as 123 for Telegram.
    return value;
  }
  if (JSON_FIELDS.has(key)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  if (NUMBER_FIELDS.has(key) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOLEAN_FIELDS.has(key) && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** A minimal multipart/form-data reader: grammY only uses multipart when a file is attached. */
function parseMultipart(body: Buffer, contentType: string): Record<string, unknown> {
  const boundary = /boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
  const out: Record<string, unknown> = {};
  if (!boundary) return out;
  for (const part of body.toString('latin1').split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split === -1) continue;
    const headers = part.slice(0, split);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) continue;
    let value = part.slice(split + 4);
    if (value.endsWith('\r\n')) value = value.slice(0, -2);
    const filename = /filename="?([^";\r\n]*)"?/i.exec(headers)?.[1];
    // File contents are not kept: the fake only needs to know a file came.
    out[name] = filename !== undefined ? { file: filename, bytes: Buffer.byteLength(value, 'latin1') } : Buffer.from(value, 'latin1').toString('utf8');
  }
  return out;
}

function decodeBody(raw: Buffer, contentType: string): { encoding: RecordedCall['encoding']; params: Record<string, unknown> } | Rejection {
  if (raw.length === 0) return { encoding: 'none', params: {} };
  const type = contentType.toLowerCase();
  if (type.startsWith('multipart/form-data')) return { encoding: 'multipart', params: parseMultipart(raw, contentType) };
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return { encoding: 'form', params: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))) };
  }
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (!isObject(parsed)) return bad("can't parse JSON object");
    return { encoding: 'json', params: parsed };
  } catch {
    return bad("can't parse JSON object");
  }
}

// ---------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------

interface StoredMessage {
  message_id: number;
  date: number;
  sender: 'bot' | 'person';
  text?: string;
  reply_markup?: { inline_keyboard: unknown[][] };
  edit_date?: number;
  message_thread_id?: number;
}

interface ChatState {
  messages: Map<number, StoredMessage>;
  /** Telegram numbers messages per private chat, for both sides; the fake continues after the highest known id. */
  lastId: number;
}

/** Telegram's method names, keyed by lower case: method names are case-insensitive. */
const METHODS = [
  'getMe',
  'sendMessage',
  'editMessageText',
  'editMessageReplyMarkup',
  'answerCallbackQuery',
  'deleteMessage',
  'deleteMessages',
  'setWebhook',
  'deleteWebhook',
  'getWebhookInfo',
  'setMyCommands',
  'getMyCommands',
  'deleteMyCommands',
  'createForumTopic',
  'editForumTopic',
  'closeForumTopic',
  'reopenForumTopic',
  'deleteForumTopic',
  'getChatMember',
] as const;
type Method = (typeof METHODS)[number];
const METHOD_BY_LOWER = new Map<string, Method>(METHODS.map((m) => [m.toLowerCase(), m]));

const PATH = /^\/bot([^/]+)\/([^/]*)$/;

/** Private chats have positive ids; supergroups and channels `-100…`; basic groups other negatives. */
function chatObject(chatId: number): Json {
  if (chatId > 0) return { id: chatId, first_name: `User ${chatId}`, type: 'private' };
  if (chatId <= -1_000_000_000_000) return { id: chatId, title: `Chat ${chatId}`, type: 'supergroup' };
  return { id: chatId, title: `Chat ${chatId}`, type: 'group' };
}

/** Reads `chat_id` as Telegram does, or says what Telegram would answer. */
function chatParam(chatId: unknown): number | Rejection {
  if (chatId === undefined || chatId === null || chatId === '') return bad('chat_id is empty');
  return chatKey(chatId) ?? bad('chat not found');
}

function chatKey(chatId: unknown): number | null {
  if (typeof chatId === 'number' && Number.isInteger(chatId)) return chatId;
  if (typeof chatId === 'string' && /^-?\d+$/.test(chatId)) return Number(chatId);
  return null;
}

function sameMarkup(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Starts the fake on a free loopback port. */
export async function startFakeBotApi(options: FakeBotApiOptions): Promise<FakeBotApi> {
  const botId = Number(options.token.split(':')[0]);
  const bot: FakeBotUser = {
    id: Number.isSafeInteger(botId) && botId > 0 ? botId : 6_100_000_001,
    is_bot: true,
    first_name: 'Waspada',
    username: options.username ?? 'WaspadaTestBot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
  // Messages carry the plain User, not getMe's extra fields.
  const botAsSender = { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username };
  const baseClock = options.clock ?? (() => Math.floor(Date.now() / 1000));

  const calls: RecordedCall[] = [];
  let chats = new Map<number, ChatState>();
  let pending: Array<{ kind: FailureKind; method?: string; retryAfter: number }> = [];
  let clockOffset = 0;
  let webhook: FakeWebhook | null = null;
  let commands = new Map<string, FakeBotCommand[]>();
  let answeredQueries = new Set<string>();
  let forums = new Map<number, { rights: Required<ForumOptions>; topics: Map<number, FakeTopic> }>();
  let members = new Map<number, Map<number, { user: FakeUser; status: FakeMemberStatus; isMember: boolean }>>();

  const now = () => Math.floor(baseClock()) + clockOffset;

  const chatState = (chatId: number): ChatState => {
    let state = chats.get(chatId);
    if (!state) {
      state = { messages: new Map(), lastId: 0 };
      chats.set(chatId, state);
    }
    return state;
  };

  const commandsKey = (scope: unknown, languageCode: unknown) =>
    `${JSON.stringify(isObject(scope) ? scope : { type: 'default' })}|${typeof languageCode === 'string' ? languageCode : ''}`;

  const messageJson = (chatId: number, m: StoredMessage): Json => ({
    message_id: m.message_id,
    ...(m.sender === 'bot' ? { from: botAsSender } : {}),
    chat: chatObject(chatId),
    date: m.date,
    ...(m.edit_date !== undefined ? { edit_date: m.edit_date } : {}),
    ...(m.message_thread_id !== undefined ? { message_thread_id: m.message_thread_id, is_topic_message: true } : {}),
    ...(m.text !== undefined ? { text: m.text } : {}),
    ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}),
  });

  /** Where a message goes in a chat: a forum topic that exists (and is open, unless the bot manages topics), or the chat itself. */
  const threadOf = (chatId: number, thread: unknown): { thread?: number } | Rejection => {
    if (thread === undefined || thread === null) return {};
    const topic = typeof thread === 'number' ? forums.get(chatId)?.topics.get(thread) : undefined;
    if (!topic) return bad('message thread not found');
    // Only administrators with Manage Topics may write in a closed topic.
    if (topic.closed && !forums.get(chatId)?.rights.canManageTopics) return bad('TOPIC_CLOSED');
    return { thread: topic.message_thread_id };
  };

  /** The forum and topic a topic method targets, or Telegram's refusal. */
  const topicTarget = (p: Json, right: keyof ForumOptions): { chatId: number; topic: FakeTopic } | Rejection => {
    const chatId = chatParam(p.chat_id);
    if (typeof chatId !== 'number') return chatId;
    const forum = forums.get(chatId);
    if (!forum) return bad('the chat is not a forum');
    if (!forum.rights[right]) return bad('CHAT_ADMIN_REQUIRED');
    const topic = typeof p.message_thread_id === 'number' ? forum.topics.get(p.message_thread_id) : undefined;
    if (!topic) return bad('TOPIC_ID_INVALID');
    return { chatId, topic };
  };

  const checkTopicName = (name: unknown): Rejection | null => {
    if (typeof name !== 'string' || name.trim().length === 0) return bad('TOPIC_TITLE_EMPTY');
    if (chars(name) > BOT_API_LIMITS.topicName) return bad('TOPIC_TITLE_TOO_LONG');
    return null;
  };

  /** Finds the message an edit targets, or says why not, as Telegram words it. */
  const editTarget = (p: Json): { chatId: number; message: StoredMessage } | Rejection => {
    if (p.inline_message_id !== undefined) return bad('MESSAGE_ID_INVALID');
    const chatId = chatParam(p.chat_id);
    if (typeof chatId !== 'number') return chatId;
    if (typeof p.message_id !== 'number') return bad('message identifier is not specified');
    const message = chats.get(chatId)?.messages.get(p.message_id);
    if (!message) return bad('message to edit not found');
    if (message.sender !== 'bot') return bad("message can't be edited");
    return { chatId, message };
  };

  /** Deletes one message under Telegram's rules; returns null on success. */
  const deleteOne = (chatId: number, messageId: unknown): Rejection | null => {
    if (typeof messageId !== 'number' || !Number.isInteger(messageId) || messageId <= 0) return DELETE_NOT_FOUND;
    const state = chats.get(chatId);
    const message = state?.messages.get(messageId);
    // Unknown and already-deleted ids get the same answer from Telegram.
    if (!state || !message) return DELETE_NOT_FOUND;
    // "A message can only be deleted if it was sent less than 48 hours ago."
    if (now() - message.date >= BOT_API_LIMITS.deleteWindowSeconds) return DELETE_TOO_OLD;
    // "Bots can delete incoming messages in private chats" only; elsewhere they need admin rights.
    if (message.sender === 'person' && chatId < 0) return bad("message can't be deleted");
    state.messages.delete(messageId);
    return null;
  };

  type Handled = { result: unknown; description?: string; extra?: Record<string, unknown> } | Rejection;

  const handlers: Record<Method, (p: Json) => Handled> = {
    getMe: () => ({ result: bot }),

    sendMessage: (p) => {
      const chatId = chatParam(p.chat_id);
      if (typeof chatId !== 'number') return chatId;
      const where = threadOf(chatId, p.message_thread_id);
      if (isRejection(where)) return where;
      const text = checkText(p.text, p.parse_mode);
      if (isRejection(text)) return text;
      const markup = checkReplyMarkup(p.reply_markup);
      if (isRejection(markup)) return markup;
      const state = chatState(chatId);
      state.lastId += 1;
      const message: StoredMessage = {
        message_id: state.lastId,
        date: now(),
        sender: 'bot',
        text: text.text,
        ...(markup.inline ? { reply_markup: markup.inline } : {}),
        ...(where.thread !== undefined ? { message_thread_id: where.thread } : {}),
      };
      state.messages.set(message.message_id, message);
      return { result: messageJson(chatId, message) };
    },

    editMessageText: (p) => {
      const target = editTarget(p);
      if (isRejection(target)) return target;
      const text = checkText(p.text, p.parse_mode);
      if (isRejection(text)) return text;
      const markup = checkReplyMarkup(p.reply_markup);
      if (isRejection(markup)) return markup;
      const { message } = target;
      // Without reply_markup, editMessageText removes the inline keyboard.
      if (message.text === text.text && sameMarkup(message.reply_markup, markup.inline)) return NOT_MODIFIED;
      message.text = text.text;
      if (markup.inline) message.reply_markup = markup.inline;
      else delete message.reply_markup;
      message.edit_date = now();
      return { result: messageJson(target.chatId, message) };
    },

    editMessageReplyMarkup: (p) => {
      const target = editTarget(p);
      if (isRejection(target)) return target;
      const markup = checkReplyMarkup(p.reply_markup);
      if (isRejection(markup)) return markup;
      const { message } = target;
      // Removing a keyboard twice is "not modified" too: the channel must tolerate it.
      if (sameMarkup(message.reply_markup, markup.inline)) return NOT_MODIFIED;
      if (markup.inline) message.reply_markup = markup.inline;
      else delete message.reply_markup;
      message.edit_date = now();
      return { result: messageJson(target.chatId, message) };
    },

    answerCallbackQuery: (p) => {
      const id = p.callback_query_id;
      if (typeof id !== 'string' || id.length === 0) return QUERY_TOO_OLD;
      if (p.text !== undefined && (typeof p.text !== 'string' || chars(p.text) > BOT_API_LIMITS.callbackAnswerText)) {
        return bad('MESSAGE_TOO_LONG');
      }
      // A query can be answered once; a second answer finds it gone.
      if (answeredQueries.has(id)) return QUERY_TOO_OLD;
      answeredQueries.add(id);
      return { result: true };
    },

    deleteMessage: (p) => {
      const chatId = chatParam(p.chat_id);
      if (typeof chatId !== 'number') return chatId;
      if (p.message_id === undefined) return bad('message identifier is not specified');
      return deleteOne(chatId, p.message_id) ?? { result: true };
    },

    deleteMessages: (p) => {
      const chatId = chatParam(p.chat_id);
      if (typeof chatId !== 'number') return chatId;
      const ids = p.message_ids;
      if (ids === undefined) return bad('message identifiers are not specified');
      if (!Array.isArray(ids)) return bad('expected an Array of message identifiers');
      if (ids.length === 0) return bad('message identifiers are not specified');
      if (ids.length > BOT_API_LIMITS.deleteMessagesIds) return bad('too many message identifiers specified');
      if (ids.some((id) => typeof id !== 'number' || !Number.isInteger(id) || id <= 0)) return bad('invalid message identifier specified');
      // "If some of the specified messages can't be found, they are skipped": the answer is
      // still true, so the record keeps what really happened for the tests.
      const deleted: number[] = [];
      const skipped: Array<{ message_id: number; reason: string }> = [];
      for (const id of ids as number[]) {
        const problem = deleteOne(chatId, id);
        if (problem) skipped.push({ message_id: id, reason: problem.description });
        else deleted.push(id);
      }
      return { result: true, extra: { deleted, skipped } };
    },

    setWebhook: (p) => {
      const url = typeof p.url === 'string' ? p.url : '';
      if (url === '') {
        const had = webhook !== null;
        webhook = null;
        return { result: true, description: had ? 'Webhook was deleted' : 'Webhook is already deleted' };
      }
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return bad('bad webhook: Failed to resolve host: Name or service not known');
      }
      if (parsed.protocol !== 'https:') return bad('bad webhook: HTTPS url must be provided for webhook');
      const port = parsed.port === '' ? 443 : Number(parsed.port);
      if (![80, 88, 443, 8443].includes(port)) return bad('bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443');
      const secret = p.secret_token;
      if (secret !== undefined) {
        if (typeof secret !== 'string' || secret.length > BOT_API_LIMITS.secretToken) return bad('secret token is too long');
        if (!/^[A-Za-z0-9_-]+$/.test(secret)) return bad('secret token contains unallowed characters');
      }
      const max = p.max_connections;
      if (max !== undefined && (typeof max !== 'number' || max < 1 || max > 100)) return bad('max_connections must be between 1 and 100');
      const allowed = p.allowed_updates;
      if (allowed !== undefined && (!Array.isArray(allowed) || allowed.some((u) => typeof u !== 'string'))) {
        return bad("can't parse allowed updates: expected an Array of String");
      }
      webhook = {
        url,
        ...(typeof secret === 'string' ? { secret_token: secret } : {}),
        // "If not specified, the previous setting will be used."
        ...(Array.isArray(allowed) ? { allowed_updates: allowed as string[] } : webhook?.allowed_updates ? { allowed_updates: webhook.allowed_updates } : {}),
        ...(typeof max === 'number' ? { max_connections: max } : {}),
        ...(p.drop_pending_updates === true ? { drop_pending_updates: true } : {}),
      };
      return { result: true, description: 'Webhook was set' };
    },

    deleteWebhook: () => {
      const had = webhook !== null;
      webhook = null;
      return { result: true, description: had ? 'Webhook was deleted' : 'Webhook is already deleted' };
    },

    getWebhookInfo: () => ({
      // The secret token is never returned, as with Telegram.
      result: {
        url: webhook?.url ?? '',
        has_custom_certificate: false,
        pending_update_count: 0,
        ...(webhook?.max_connections !== undefined ? { max_connections: webhook.max_connections } : webhook ? { max_connections: 40 } : {}),
        ...(webhook?.allowed_updates ? { allowed_updates: webhook.allowed_updates } : {}),
      },
    }),

    setMyCommands: (p) => {
      const list = p.commands;
      if (!Array.isArray(list)) return bad("can't parse commands JSON object");
      if (list.length > BOT_API_LIMITS.commands) return bad('too many commands specified');
      for (const c of list) {
        if (!isObject(c) || typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) return bad('BOT_COMMAND_INVALID');
        const d = c.description;
        if (typeof d !== 'string' || d.trim().length === 0 || chars(d) > BOT_API_LIMITS.commandDescription) {
          return bad('BOT_COMMAND_DESCRIPTION_INVALID');
        }
      }
      const lang = p.language_code;
      if (lang !== undefined && lang !== '' && (typeof lang !== 'string' || !/^[a-z]{2}$/.test(lang))) return bad('LANG_CODE_INVALID');
      commands.set(
        commandsKey(p.scope, lang),
        (list as FakeBotCommand[]).map((c) => ({ command: c.command, description: c.description })),
      );
      return { result: true };
    },

    getMyCommands: (p) => ({ result: commands.get(commandsKey(p.scope, p.language_code)) ?? [] }),

    deleteMyCommands: (p) => {
      commands.delete(commandsKey(p.scope, p.language_code));
      return { result: true };
    },

    createForumTopic: (p) => {
      const chatId = chatParam(p.chat_id);
      if (typeof chatId !== 'number') return chatId;
      const forum = forums.get(chatId);
      if (!forum) return bad('the chat is not a forum');
      if (!forum.rights.canManageTopics) return bad('not enough rights to create a topic');
      const badName = checkTopicName(p.name);
      if (badName) return badName;
      const color = p.icon_color ?? TOPIC_ICON_COLORS[0];
      if (!(TOPIC_ICON_COLORS as readonly unknown[]).includes(color)) return bad('TOPIC_ICON_COLOR_INVALID');
      // The topic's id is the id of its "topic created" service message.
      const state = chatState(chatId);
      state.lastId += 1;
      const topic: FakeTopic = { message_thread_id: state.lastId, name: String(p.name), icon_color: color as number, closed: false };
      state.messages.set(topic.message_thread_id, { message_id: topic.message_thread_id, date: now(), sender: 'bot', message_thread_id: topic.message_thread_id });
      forum.topics.set(topic.message_thread_id, topic);
      return { result: { message_thread_id: topic.message_thread_id, name: topic.name, icon_color: topic.icon_color } };
    },

    editForumTopic: (p) => {
      const target = topicTarget(p, 'canManageTopics');
      if (isRejection(target)) return target;
      if (p.name !== undefined) {
        const badName = checkTopicName(p.name);
        if (badName) return badName;
      }
      if (p.name === undefined || p.name === target.topic.name) return bad('TOPIC_NOT_MODIFIED');
      target.topic.name = String(p.name);
      return { result: true };
    },

    closeForumTopic: (p) => {
      const target = topicTarget(p, 'canManageTopics');
      if (isRejection(target)) return target;
      if (target.topic.closed) return bad('TOPIC_NOT_MODIFIED');
      target.topic.closed = true;
      return { result: true };
    },

    reopenForumTopic: (p) => {
      const target = topicTarget(p, 'canManageTopics');
      if (isRejection(target)) return target;
      if (!target.topic.closed) return bad('TOPIC_NOT_MODIFIED');
      target.topic.closed = false;
      return { result: true };
    },

    deleteForumTopic: (p) => {
      // "The bot must be an administrator in the chat … and must have the can_delete_messages administrator rights."
      const target = topicTarget(p, 'canDeleteMessages');
      if (isRejection(target)) return target;
      const thread = target.topic.message_thread_id;
      forums.get(target.chatId)?.topics.delete(thread);
      const state = chatState(target.chatId);
      for (const [id, m] of state.messages) if (m.message_thread_id === thread) state.messages.delete(id);
      return { result: true };
    },

    getChatMember: (p) => {
      const chatId = chatParam(p.chat_id);
      if (typeof chatId !== 'number') return chatId;
      if (typeof p.user_id !== 'number' || !Number.isInteger(p.user_id) || p.user_id <= 0) return bad('invalid user_id specified');
      if (p.user_id === bot.id) return { result: { user: botAsSender, status: 'administrator', can_manage_topics: forums.get(chatId)?.rights.canManageTopics ?? false } };
      const m = members.get(chatId)?.get(p.user_id);
      // A user Telegram knows but who is not in the chat is reported as "left".
      if (!m) return { result: { user: { id: p.user_id, is_bot: false, first_name: `User ${p.user_id}` }, status: 'left' } };
      const user = { is_bot: false, ...m.user };
      return { result: { user, status: m.status, ...(m.status === 'restricted' ? { is_member: m.isMember } : {}) } };
    },
  };

  const send = (res: ServerResponse, status: number, payload: unknown) => {
    // grammY parses the body as JSON whatever the status, so every answer is JSON, as Telegram's are.
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const record = (method: string, encoding: RecordedCall['encoding'], params: Record<string, unknown>, outcome: CallOutcome) =>
      calls.push({ method, httpMethod: req.method ?? 'GET', path: url.pathname, encoding, params, outcome, at: now() });
    const reject = (method: string, encoding: RecordedCall['encoding'], params: Record<string, unknown>, r: Rejection, kind?: FailureKind) => {
      record(method, encoding, params, {
        kind: 'error',
        httpStatus: r.httpStatus,
        errorCode: r.httpStatus,
        description: r.description,
        ...(r.retryAfter !== undefined ? { retryAfter: r.retryAfter } : {}),
        ...(kind && kind !== 'network' ? { injected: kind } : {}),
      });
      send(res, r.httpStatus, errorBody(r));
    };

    const match = PATH.exec(url.pathname);
    if (!match) return reject(url.pathname, 'none', {}, { httpStatus: 404, description: 'Not Found' });
    const [, token = '', rawMethod = ''] = match;
    // Telegram checks the token before the method: a wrong token never learns which methods exist.
    if (token !== options.token) return reject(rawMethod, 'none', {}, { httpStatus: 401, description: 'Unauthorized' });

    const decoded = decodeBody(raw, req.headers['content-type'] ?? '');
    const method = METHOD_BY_LOWER.get(rawMethod.toLowerCase());
    const name = method ?? rawMethod;
    if (isRejection(decoded)) return reject(name, 'json', {}, decoded);
    // Telegram reads parameters from the query string too; the body wins.
    const params: Record<string, unknown> = {};
    for (const [k, v] of url.searchParams) params[k] = coerce(k, v);
    for (const [k, v] of Object.entries(decoded.params)) params[k] = coerce(k, v);

    if (!method) return reject(name, decoded.encoding, params, { httpStatus: 404, description: 'Not Found: method not found' });

    // Injected failures come after auth and routing (Telegram throttles authenticated callers)
    // and before validation (a throttled request is refused whatever it contains).
    const index = pending.findIndex((f) => f.method === undefined || f.method.toLowerCase() === method.toLowerCase());
    if (index !== -1) {
      const [failure] = pending.splice(index, 1);
      if (failure) {
        if (failure.kind === 'network') {
          record(method, decoded.encoding, params, { kind: 'dropped', injected: 'network' });
          // No answer at all: grammY sees a reset connection and throws an HttpError.
          req.socket.destroy();
          return;
        }
        return reject(method, decoded.encoding, params, injected(failure.kind, failure.retryAfter), failure.kind);
      }
    }

    const handled = handlers[method](params);
    if (isRejection(handled)) return reject(method, decoded.encoding, params, handled);
    record(method, decoded.encoding, params, {
      kind: 'ok',
      result: handled.result,
      ...(handled.description ? { description: handled.description } : {}),
      ...(handled.extra ? { detail: handled.extra } : {}),
    });
    send(res, 200, { ok: true, result: handled.result, ...(handled.description ? { description: handled.description } : {}) });
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const requireChat = (chatId: number | string): number => {
    const key = chatKey(chatId);
    if (key === null) throw new Error(`not a chat id: ${String(chatId)}`);
    return key;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    token: options.token,
    bot,
    calls,
    get webhook() {
      return webhook;
    },
    callsOf(method) {
      const lower = method.toLowerCase();
      return calls.filter((c) => c.method.toLowerCase() === lower);
    },
    textsTo(chatId) {
      const key = String(requireChat(chatId));
      return calls
        .filter((c) => c.method === 'sendMessage' && c.outcome.kind === 'ok' && String(c.params.chat_id) === key)
        .map((c) => String((c.outcome as { result: { text?: string } }).result.text ?? ''));
    },
    keyboardOf(chatId) {
      const messages = [...(chats.get(requireChat(chatId))?.messages.values() ?? [])]
        .filter((m) => m.sender === 'bot' && m.reply_markup)
        .sort((a, b) => b.message_id - a.message_id);
      const rows = messages[0]?.reply_markup?.inline_keyboard;
      if (!rows) return undefined;
      return rows.map((row) =>
        row.map((b) => {
          const button = b as Json;
          return {
            text: String(button.text),
            ...(typeof button.callback_data === 'string' ? { callback_data: button.callback_data } : {}),
            ...(typeof button.url === 'string' ? { url: button.url } : {}),
          };
        }),
      );
    },
    messagesIn(chatId) {
      return [...(chats.get(requireChat(chatId))?.messages.values() ?? [])]
        .sort((a, b) => a.message_id - b.message_id)
        .map((m) => ({ ...m }));
    },
    recordUserMessage(chatId, messageId, date, text) {
      const state = chatState(requireChat(chatId));
      state.messages.set(messageId, { message_id: messageId, date: date ?? now(), sender: 'person', ...(text !== undefined ? { text } : {}) });
      // One numbering for both sides of a private chat: the bot's next message comes after this one.
      state.lastId = Math.max(state.lastId, messageId);
    },
    setMessageDate(chatId, messageId, unixSeconds) {
      const message = chats.get(requireChat(chatId))?.messages.get(messageId);
      if (!message) throw new Error(`no message ${messageId} in chat ${String(chatId)}`);
      message.date = unixSeconds;
    },
    commandsFor(languageCode, scope) {
      return commands.get(commandsKey(scope, languageCode)) ?? [];
    },
    addForum(chatId, forumOptions = {}) {
      if (chatId > -1_000_000_000_000) throw new Error('only supergroups (-100…) can be forums');
      // Again on the same chat: the bot's rights change, the topics stay.
      forums.set(chatId, { rights: { canManageTopics: forumOptions.canManageTopics ?? true, canDeleteMessages: forumOptions.canDeleteMessages ?? true }, topics: forums.get(chatId)?.topics ?? new Map() });
    },
    setChatMember(chatId, user, status, memberOptions = {}) {
      const chat = members.get(chatId) ?? new Map();
      chat.set(user.id, { user, status, isMember: memberOptions.isMember ?? false });
      members.set(chatId, chat);
    },
    topicsOf(chatId) {
      return [...(forums.get(chatId)?.topics.values() ?? [])].map((t) => ({ ...t }));
    },
    textsInTopic(chatId, threadId) {
      return calls
        .filter((c) => c.method === 'sendMessage' && c.outcome.kind === 'ok' && String(c.params.chat_id) === String(chatId) && c.params.message_thread_id === threadId)
        .map((c) => String((c.outcome as { result: { text?: string } }).result.text ?? ''));
    },
    now,
    advanceClock(seconds) {
      clockOffset += seconds;
    },
    failNext(n, kind, failureOptions = {}) {
      for (let i = 0; i < n; i += 1) {
        pending.push({
          kind,
          ...(failureOptions.method !== undefined ? { method: failureOptions.method } : {}),
          retryAfter: failureOptions.retryAfter ?? 1,
        });
      }
    },
    reset() {
      // Mutate `calls` in place: tests may hold a reference to the array.
      calls.length = 0;
      chats = new Map();
      pending = [];
      clockOffset = 0;
      webhook = null;
      commands = new Map();
      answeredQueries = new Set();
      forums = new Map();
      members = new Map();
    },
    close() {
      // grammY keeps sockets alive; without this, close() would wait for them to time out.
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
