/**
 * The environment, parsed once through a schema. Everything else receives the typed result;
 * nothing reads `process.env` deeper in the code. A bad variable stops the start with one line
 * that names it (and never echoes its value, which may be a secret).
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { HotlineHoursSchema } from './handoff/hotlineHours.js';
import { TrustProxySchema } from './http/trustProxy.js';
import { decodeDataKey } from './storage/sealer.js';

/** The repository root, where `flows/` and `locales/` live by default (works from src/ and dist/). */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * The reverse proxies allowed to say who the client is (X-Forwarded-For): a comma list of
   * addresses and CIDR ranges (src/http/trustProxy.ts). Unset: nobody, and every client is the
   * address of its connection, which behind a proxy is the proxy's for everyone.
   */
  TRUST_PROXY: TrustProxySchema.optional(),
  DEFAULT_LANG: z.string().regex(/^[a-z]{2,3}$/).default('id'),
  /** A conversation idle for this long is expired: the person is told and starts from the menu. */
  SESSION_IDLE_HOURS: z.coerce.number().positive().max(24 * 30).default(24),
  /** How long a session is kept after the last message; at least SESSION_IDLE_HOURS, so a returning person can be told that the old check expired. */
  SESSION_RETENTION_HOURS: z.coerce.number().positive().max(24 * 365).default(24),
  FLOWS_DIR: z.string().min(1).default(`${ROOT}flows`),
  LOCALES_DIR: z.string().min(1).default(`${ROOT}locales`),
  /** Redis for production and several instances; unset means the embedded in-memory store. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  /**
   * Encrypts what people tell the bot wherever it is stored, and keys the pseudonyms that stand
   * for their numbers and accounts in storage keys: 32 random bytes in base64
   * (`openssl rand -base64 32`). Needed with Redis; without Redis a key is made up for each run.
   */
  DATA_KEY: z.string().refine((k) => decodeDataKey(k) !== undefined, 'must be 32 bytes in base64 (make one with: openssl rand -base64 32)').optional(),
  /** The key being rotated away from: still read, never written (`npm run keys:rotate` moves everything to DATA_KEY). */
  DATA_KEY_PREVIOUS: z.string().refine((k) => decodeDataKey(k) !== undefined, 'must be 32 bytes in base64, the DATA_KEY used before').optional(),
  /** Retention (PRIVACY.md): how long a closed hotline case is kept before it is deleted. */
  CASE_RETENTION_DAYS: int(1, 3650).default(180),
  /** How long a family report is kept (and counts towards warnings about the recruiter). */
  REPORT_RETENTION_DAYS: int(30, 3650).default(730),
  /** How long an inbound message id is remembered so a provider's retry is not handled twice (WhatsApp retries for up to 7 days). */
  IDEMPOTENCY_RETENTION_DAYS: int(1, 30).default(7),
  /** A Redis Cluster instead: comma-separated seed nodes, `redis://host:port`. */
  REDIS_CLUSTER_NODES: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^rediss?:\/\//, 'each node must start with redis:// or rediss://')).min(1))
    .optional(),
  /** A Redis command slower than this fails; the webhook answers 503 and the provider retries. */
  REDIS_COMMAND_TIMEOUT_MS: int(100, 60_000).default(2000),
  /** People are spread over this many outbox streams (one hash tag each); keep it fixed once data exists. */
  OUTBOX_SHARDS: int(1, 1024).default(8),
  /** `inprocess`: this process also sends what the outbox holds; `none`: only separate workers (npm run worker) do. */
  SENDERS: z.enum(['inprocess', 'none']).default('inprocess'),
  /** An outbox entry a sender claimed and did not acknowledge for this long is taken over (the sender crashed). */
  OUTBOX_RECLAIM_SECONDS: z.coerce.number().positive().max(3600).default(30),
  /** WhatsApp Cloud API: the channel is on when all four are set (see README, "WhatsApp"). */
  WHATSAPP_ACCESS_TOKEN: z.string().min(1).optional(),
  WHATSAPP_PHONE_NUMBER_ID: z.string().regex(/^\d+$/, 'must be the numeric phone number id from Meta').optional(),
  WHATSAPP_APP_SECRET: z.string().min(1).optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().min(1).optional(),
  WHATSAPP_GRAPH_URL: z.url({ protocol: /^https?$/ }).default('https://graph.facebook.com'),
  WHATSAPP_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/, 'must look like v26.0').default('v26.0'),
  /** Messages per second per phone number (Meta's default limit is 80; higher tiers and the benchmark's fake allow more). */
  WHATSAPP_MPS: int(1, 100_000).default(80),
  /** A message older than this when it reaches us is no answer to the current question. */
  WHATSAPP_STALE_MINUTES: z.coerce.number().positive().max(7 * 24 * 60).default(60),
  /** Telegram: the channel is on when the token and the webhook secret are set (see README, "Telegram"). */
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, 'must be the token BotFather gave').optional(),
  /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token: 1–256 of A-Z a-z 0-9 _ -. */
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1–256 letters, digits, _ or -').optional(),
  TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
  /** Messages per second for the whole bot (Telegram allows about 30; one a second per chat). */
  TELEGRAM_MPS: int(1, 100_000).default(25),
  /** Messages per second to one chat (Telegram allows about one). */
  TELEGRAM_CHAT_MPS: int(1, 100).default(1),
  /** Largest webhook body accepted (Meta batches several messages in one delivery). */
  WEBHOOK_BODY_LIMIT_BYTES: int(1024, 10 * 1024 * 1024).default(1024 * 1024),
  /** Largest request body the chat API accepts. */
  CHAT_BODY_LIMIT_BYTES: int(1024, 1024 * 1024).default(16 * 1024),
  /**
   * Web chat messages a minute per client address, shared by every instance (src/http/ipLimits.ts).
   * Generous: many phones share one address behind a mobile carrier's NAT, and one person is
   * limited on their own in the conversation; this stops a flood from one address.
   */
  CHAT_RATE_PER_MINUTE: int(1, 100_000).default(120),
  /** Web chat messages a client address may send at once before its pace applies. */
  CHAT_RATE_BURST: int(1, 10_000).default(60),
  /**
   * Asks for staff replies (POST /api/v1/chat/updates) a minute per client address. A page asks
   * every 3 s while its person talks to staff (20 a minute): twenty such people behind one
   * carrier address use two thirds of the default, while a flood is refused.
   */
  CHAT_UPDATES_RATE_PER_MINUTE: int(1, 100_000).default(600),
  /** Asks for staff replies a client address may send at once before its pace applies. */
  CHAT_UPDATES_RATE_BURST: int(1, 10_000).default(120),

  // The public ad check, POST /api/v1/assess (src/http/assessRoutes.ts).
  /** Checks a minute per client address (request.ip; IPv6 by /64), shared by every instance through the store. */
  ASSESS_RATE_PER_MINUTE: int(1, 100_000).default(30),
  /** How many checks a client may send at once before the pace applies. */
  ASSESS_RATE_BURST: int(1, 1000).default(10),
  /** Partner sites whose pages may call the API from the browser: `*` for any, or a comma list of origins. */
  ASSESS_CORS_ORIGINS: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.union([z.tuple([z.literal('*')]), z.array(z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin)).min(1)]))
    .default(['*']),

  // Hotline staff (src/handoff/).
  /** The staff supergroup (topics enabled, the bot an admin): a forum topic per case. Needs the Telegram bot. */
  HOTLINE_TELEGRAM_CHAT_ID: z.string().regex(/^-100\d{5,20}$/, 'must be a supergroup id like -1001234567890').optional(),
  /** Where every case event is POSTed, signed with HOTLINE_WEBHOOK_SECRET. */
  HOTLINE_WEBHOOK_URL: z
    .url({ protocol: /^https?$/ })
    // Case events carry what people wrote: over the network only encrypted; plain http only to this machine.
    .refine((u) => u.startsWith('https:') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(u), 'must be https (http only to 127.0.0.1, localhost or [::1])')
    .optional(),
  HOTLINE_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** An urgent or high case nobody claimed for this long is announced again. */
  HOTLINE_CLAIM_MINUTES: int(1, 24 * 60).default(10),
  /** When staff are on duty, e.g. `Mon-Fri 08:00-20:00 Asia/Jakarta`; unset means always. */
  HOTLINE_HOURS: HotlineHoursSchema.optional(),
  /** An approved WhatsApp template (`name` or `name:language`) that invites a person back when the 24-hour window closed. */
  WHATSAPP_REOPEN_TEMPLATE: z.string().regex(/^[a-z0-9_]{1,512}(:[A-Za-z_]{2,10})?$/, 'must be a template name, optionally with :language').optional(),
  /**
   * Whether hotline staff take over conversations. Unset: on when staff can be reached (Redis,
   * which the console uses, or a staff group, or a webhook), off with the in-memory store alone.
   */
  HOTLINE: z.enum(['on', 'off']).optional(),
  /** A recruiter is named in a warning only once this many different people reported them. */
  REPORTS_WARN_MIN: int(2, 100).default(2),
  /** Console sign-in attempts a minute per client address (each costs a password hash), and how many at once. */
  CONSOLE_LOGIN_RATE_PER_MINUTE: int(1, 10_000).default(10),
  CONSOLE_LOGIN_RATE_BURST: int(1, 1000).default(10),
  /** Set to `insecure` only for a console served over plain http on a trusted machine (no Secure cookie flag). */
  CONSOLE_COOKIES: z.enum(['secure', 'insecure']).default('secure'),
  /**
   * The console's public origin (`https://hotline.example.org`) when a reverse proxy does not pass
   * the Host header through; form posts from any other origin are refused. Unset: the Host header.
   */
  CONSOLE_ORIGIN: z
    .url({ protocol: /^https?$/ })
    .transform((u) => new URL(u).origin)
    .optional(),

  // Operations (README, "Metrics" and "Stopping").
  /** The bearer token Prometheus sends for GET /metrics. Unset: /metrics answers only to this machine (loopback, not through a proxy). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** On SIGTERM or SIGINT: how long to finish the requests and sends in flight before exiting anyway (with code 1). */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(10),
});

export type Config = z.infer<typeof ConfigSchema>;

/** The name of every variable the schema reads (tests/deploy keeps .env.example and docker-compose.yml in step with it). */
export const CONFIG_VARIABLES = Object.keys(ConfigSchema.shape) as readonly (keyof Config)[];

/** The Telegram settings when the channel is configured, else undefined. */
export function telegramConfig(c: Config) {
  if (!c.TELEGRAM_BOT_TOKEN || !c.TELEGRAM_WEBHOOK_SECRET) return undefined;
  return {
    token: c.TELEGRAM_BOT_TOKEN,
    webhookSecret: c.TELEGRAM_WEBHOOK_SECRET,
    // grammY refuses an API root with a trailing slash.
    apiRoot: c.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
    messagesPerSecond: c.TELEGRAM_MPS,
    chatMessagesPerSecond: c.TELEGRAM_CHAT_MPS,
  };
}

/** The WhatsApp settings when the channel is configured, else undefined. */
export function whatsappConfig(c: Config) {
  if (!c.WHATSAPP_ACCESS_TOKEN || !c.WHATSAPP_PHONE_NUMBER_ID || !c.WHATSAPP_APP_SECRET || !c.WHATSAPP_VERIFY_TOKEN) return undefined;
  return {
    accessToken: c.WHATSAPP_ACCESS_TOKEN,
    phoneNumberId: c.WHATSAPP_PHONE_NUMBER_ID,
    appSecret: c.WHATSAPP_APP_SECRET,
    verifyToken: c.WHATSAPP_VERIFY_TOKEN,
    graphUrl: c.WHATSAPP_GRAPH_URL,
    graphVersion: c.WHATSAPP_GRAPH_VERSION,
    messagesPerSecond: c.WHATSAPP_MPS,
    staleAfterMs: c.WHATSAPP_STALE_MINUTES * 60_000,
  };
}

/** True when hotline staff can take over conversations (see HOTLINE). */
export function hotlineStaffed(c: Config): boolean {
  if (c.HOTLINE) return c.HOTLINE === 'on';
  return Boolean(c.REDIS_URL || c.REDIS_CLUSTER_NODES || c.HOTLINE_TELEGRAM_CHAT_ID || c.HOTLINE_WEBHOOK_URL);
}

/** The error thrown for a bad environment; its message is the one line to print. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment (pass `process.env`); throws ConfigError naming the first bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${name}: ${issue?.message ?? 'invalid'}`);
  }
  const config = parsed.data;
  if (config.SENDERS === 'none' && !config.REDIS_URL && !config.REDIS_CLUSTER_NODES) {
    throw new ConfigError('Invalid configuration: SENDERS: "none" needs REDIS_URL or REDIS_CLUSTER_NODES (separate senders cannot reach the in-memory store)');
  }
  if (config.REDIS_URL && config.REDIS_CLUSTER_NODES) {
    throw new ConfigError('Invalid configuration: REDIS_CLUSTER_NODES: set either REDIS_URL or REDIS_CLUSTER_NODES, not both');
  }
  const whatsapp = ['WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN'] as const;
  const missing = whatsapp.filter((name) => !config[name]);
  if (missing.length > 0 && missing.length < whatsapp.length) {
    throw new ConfigError(`Invalid configuration: ${missing[0]}: needed with the other WHATSAPP_ variables (missing: ${missing.join(', ')})`);
  }
  if (Boolean(config.TELEGRAM_BOT_TOKEN) !== Boolean(config.TELEGRAM_WEBHOOK_SECRET)) {
    const name = config.TELEGRAM_BOT_TOKEN ? 'TELEGRAM_WEBHOOK_SECRET' : 'TELEGRAM_BOT_TOKEN';
    throw new ConfigError(`Invalid configuration: ${name}: needed with the other TELEGRAM_ variable`);
  }
  if (Boolean(config.HOTLINE_WEBHOOK_URL) !== Boolean(config.HOTLINE_WEBHOOK_SECRET)) {
    const name = config.HOTLINE_WEBHOOK_URL ? 'HOTLINE_WEBHOOK_SECRET' : 'HOTLINE_WEBHOOK_URL';
    throw new ConfigError(`Invalid configuration: ${name}: needed with the other HOTLINE_WEBHOOK_ variable`);
  }
  if (config.HOTLINE_TELEGRAM_CHAT_ID && !config.TELEGRAM_BOT_TOKEN) {
    throw new ConfigError('Invalid configuration: HOTLINE_TELEGRAM_CHAT_ID: needs TELEGRAM_BOT_TOKEN (the bot posts the cases in the staff group)');
  }
  if ((config.REDIS_URL || config.REDIS_CLUSTER_NODES) && !config.DATA_KEY) {
    throw new ConfigError(
      'Invalid configuration: DATA_KEY: needed with Redis. It encrypts what people tell the bot and must stay the same across restarts; ' +
        'make one with `openssl rand -base64 32`, keep it in your secret store, and never lose it (without it the stored data cannot be read).',
    );
  }
  if (config.DATA_KEY_PREVIOUS && (!config.DATA_KEY || decodeDataKey(config.DATA_KEY_PREVIOUS)?.equals(decodeDataKey(config.DATA_KEY) ?? Buffer.alloc(0)))) {
    throw new ConfigError('Invalid configuration: DATA_KEY_PREVIOUS: must be the old key, with the new one in DATA_KEY');
  }
  if (config.SESSION_RETENTION_HOURS < config.SESSION_IDLE_HOURS) {
    throw new ConfigError('Invalid configuration: SESSION_RETENTION_HOURS: must be at least SESSION_IDLE_HOURS');
  }
  return config;
}

/**
 * The configuration for a command-line entry point (the sender, `flows:check`): a bad setting is
 * printed, without a stack, and the process exits 1.
 */
export function parseConfigOrExit(env: Record<string, string | undefined>): Config {
  try {
    return parseConfig(env);
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
}
