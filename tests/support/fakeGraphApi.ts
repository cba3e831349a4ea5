/**
 * A loopback HTTP fake of the WhatsApp Cloud API send endpoint (`POST /{version}/{phoneNumberId}/messages`).
 *
 * Why a real server and not a mock: the channel sends through `@kapso/whatsapp-cloud-api` with a
 * configurable base URL, so the tests exercise the real client, its URL building, its JSON
 * casing and its error parsing. The fake rejects what Meta rejects, with Meta's status codes and
 * error bodies, so a renderer that breaks a limit fails here and not in production.
 *
 * Every rule and every error body is taken from Meta's reference; the sources are listed in
 * tests/channels/whatsapp/fixtures/README.md ("Send API facts"). Where Meta's exact `details`
 * wording is not documented, the text follows the style Meta uses for the documented ones
 * ("<Field> length invalid. Min length: 1, Max length: N").
 *
 * The 24-hour customer-service window is kept per person: `closeWindow(person)` makes every
 * free-form message to them fail with 131047 while approved templates still go, as with Meta.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

// ---------------------------------------------------------------------------------------------
// Limits (Meta's documented maxima; counted in characters, i.e. Unicode code points)
// ---------------------------------------------------------------------------------------------

/** Meta's documented limits for the message types Waspada sends. */
export const GRAPH_LIMITS = {
  textBody: 4096,
  interactiveBody: 1024,
  headerText: 60,
  footerText: 60,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listButton: 20,
  listSections: 10,
  listRowsTotal: 10,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  sectionTitle: 24,
} as const;

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/** A reply button as Meta expects it in `interactive.action.buttons`. */
export interface GraphReplyButton {
  type: 'reply';
  reply: { id: string; title: string };
}

/** A list row as Meta expects it in `interactive.action.sections[].rows`. */
export interface GraphListRow {
  id: string;
  title: string;
  description?: string;
}

/** A list section as Meta expects it in `interactive.action.sections`. */
export interface GraphListSection {
  title?: string;
  rows: GraphListRow[];
}

/** The interactive header; lists only take `text`, buttons also take media. */
export type GraphInteractiveHeader =
  | { type: 'text'; text: string }
  | { type: 'image' | 'video' | 'document'; [media: string]: unknown };

/** The `interactive` object of a button or list message. */
export type GraphInteractive =
  | {
      type: 'button';
      header?: GraphInteractiveHeader;
      body: { text: string };
      footer?: { text: string };
      action: { buttons: GraphReplyButton[] };
    }
  | {
      type: 'list';
      header?: { type: 'text'; text: string };
      body: { text: string };
      footer?: { text: string };
      action: { button: string; sections: GraphListSection[] };
    };

/** Fields every send request carries; `to` (phone) and/or `recipient` (BSUID) name the person. */
export interface GraphMessageBase {
  messaging_product: 'whatsapp';
  recipient_type?: 'individual' | 'group';
  to?: string;
  recipient?: string;
  context?: { message_id: string };
  biz_opaque_callback_data?: string;
}

/** A send request body that the fake accepted (it passed every rule below). */
export type GraphMessageBody = GraphMessageBase &
  (
    | { type: 'text'; text: { body: string; preview_url?: boolean } }
    | { type: 'interactive'; interactive: GraphInteractive }
    | { type: 'template'; template: { name: string; language: { code: string }; components?: unknown[] } }
  );

/** The ways the fake can be told to fail the next requests. */
export type FailureKind =
  | 'rate-limit'
  | 'pair-rate-limit'
  | 'server'
  | 'unavailable'
  | 'outside-window'
  | 'ecosystem'
  | 'network';

/** Overrides for an injected failure, e.g. the HTTP status some integrators see for throttling. */
export interface FailureOptions {
  /** Replace the documented HTTP status (e.g. 429 instead of 400 for `rate-limit`). */
  httpStatus?: number;
}

/** The body of a Graph API error answer, as Meta sends it. */
export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    is_transient?: boolean;
    error_data?: { messaging_product: 'whatsapp'; details: string };
    fbtrace_id: string;
  };
}

/** The body of a successful send answer, as Meta sends it. */
export interface GraphSendSuccess {
  messaging_product: 'whatsapp';
  contacts: Array<{ input: string; wa_id?: string; user_id?: string }>;
  messages: Array<{ id: string; message_status?: 'accepted' }>;
}

/** What happened to one recorded request. */
export type RequestOutcome =
  | { kind: 'accepted'; httpStatus: 200; messageId: string }
  | { kind: 'rejected'; httpStatus: number; code: number; message: string; details?: string; injected?: FailureKind }
  | { kind: 'dropped'; injected: 'network' };

/** One request the fake received, in arrival order. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The exact body text, kept for requests that were not valid JSON. */
  rawBody: string;
  /** The parsed JSON body, or `undefined` when it was not JSON. */
  body: unknown;
  outcome: RequestOutcome;
}

/** An accepted message with the id the fake gave it. */
export interface SentMessage {
  id: string;
  body: GraphMessageBody;
}

/** The running fake. */
export interface FakeGraphApi {
  /** Base URL without version, e.g. `http://127.0.0.1:41234` (pass it as the client's `baseUrl`). */
  readonly url: string;
  /** The bearer token the fake accepts. */
  readonly token: string;
  /** Every request, accepted or not, in arrival order. */
  readonly requests: RecordedRequest[];
  /** The bodies of accepted messages only, in order. */
  readonly sent: GraphMessageBody[];
  /** Accepted messages with their `wamid.` ids, in order. */
  readonly sentWithIds: SentMessage[];
  /** Fails the next `n` requests to the messages endpoint the given way, then behaves normally. */
  failNext(n: number, kind: FailureKind, options?: FailureOptions): void;
  /** What the person would read, in order: text bodies and interactive body texts sent to them. */
  textsTo(recipient: string): string[];
  /** The accepted message bodies addressed to a person (by phone or BSUID), in order. */
  messagesTo(recipient: string): GraphMessageBody[];
  /** The person has not written for 24 hours: text and interactive messages to them fail with 131047, templates go. */
  closeWindow(recipient: string): void;
  /** The person wrote again: free-form messages go. */
  openWindow(recipient: string): void;
  /** Forgets recorded requests, pending failures and closed windows (the port and token stay). */
  reset(): void;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

/** Options for {@link startFakeGraphApi}. */
export interface FakeGraphApiOptions {
  /** The access token to require as `Authorization: Bearer <token>`. */
  token: string;
  /** When set, sends to any other phone number id get Graph's "object does not exist" error. */
  phoneNumberId?: string;
  /** The approved templates (name and language code); when set, any other template is refused with 132001. */
  templates?: Array<{ name: string; language: string }>;
}

// ---------------------------------------------------------------------------------------------
// Error bodies
// ---------------------------------------------------------------------------------------------

interface Rejection {
  httpStatus: number;
  code: number;
  message: string;
  details?: string;
  subcode?: number;
  transient?: boolean;
}

/** Meta's trace ids are opaque base64-ish strings; tests only need them present and distinct. */
function fbtraceId(): string {
  return randomBytes(17).toString('base64url').slice(0, 23);
}

function errorBody(r: Rejection): GraphErrorBody {
  return {
    error: {
      message: r.message,
      type: 'OAuthException',
      code: r.code,
      ...(r.subcode !== undefined ? { error_subcode: r.subcode } : {}),
      ...(r.transient ? { is_transient: true } : {}),
      // Meta puts the useful explanation in error_data.details for WhatsApp (13xxxx) errors; plain
      // Graph parameter errors (#100) carry only the message.
      ...(r.details !== undefined ? { error_data: { messaging_product: 'whatsapp' as const, details: r.details } } : {}),
      fbtrace_id: fbtraceId(),
    },
  };
}

/** A Graph "(#100)" parameter error: HTTP 400, the explanation is in the message itself. */
function param(message: string): Rejection {
  return { httpStatus: 400, code: 100, message: `(#100) ${message}` };
}

/** A WhatsApp "(#131009) Parameter value is not valid" error with Meta-style details. */
function invalid(details: string): Rejection {
  return { httpStatus: 400, code: 131009, message: '(#131009) Parameter value is not valid', details };
}

function lengthInvalid(field: string, min: number, max: number): Rejection {
  return invalid(`${field} length invalid. Min length: ${min}, Max length: ${max}`);
}

/**
 * The injected failures. HTTP statuses follow Meta's error-code table: throttling, window and
 * ecosystem errors are documented as 400 Bad Request, 131000 as 500, code 2 (API Service) as 503.
 * Meta advises branching on `code`, never on the HTTP status; `FailureOptions.httpStatus` lets a
 * test prove the channel does exactly that (some integrators report 429 for throttling).
 */
const FAILURES: Record<Exclude<FailureKind, 'network'>, Rejection> = {
  'rate-limit': {
    httpStatus: 400,
    code: 130429,
    message: '(#130429) Rate limit hit',
    details: 'Cloud API message throughput has been reached.',
  },
  'pair-rate-limit': {
    httpStatus: 400,
    code: 131056,
    message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    details:
      'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
  },
  server: {
    httpStatus: 500,
    code: 131000,
    message: '(#131000) Something went wrong',
    details: 'Message failed to send due to an unknown error.',
  },
  unavailable: {
    httpStatus: 503,
    code: 2,
    message: 'An unexpected error has occurred. Please retry your request later.',
    transient: true,
  },
  'outside-window': {
    httpStatus: 400,
    code: 131047,
    message: '(#131047) Re-engagement message',
    details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  ecosystem: {
    httpStatus: 400,
    code: 131049,
    message: '(#131049) This message was not delivered to maintain healthy ecosystem engagement.',
    details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
  },
};

// ---------------------------------------------------------------------------------------------
// Validation (Meta's rules for text, interactive button/list and template sends)
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Meta counts characters, not bytes or UTF-16 units, so an emoji is one character. */
function chars(s: string): number {
  return Array.from(s).length;
}

/** Checks a required string field's length; returns the rejection or null. */
function checkLength(value: unknown, field: string, min: number, max: number): Rejection | null {
  if (typeof value !== 'string') return lengthInvalid(field, min, max);
  const n = chars(value);
  return n < min || n > max ? lengthInvalid(field, min, max) : null;
}

function validateText(body: Json): Rejection | null {
  const text = body.text;
  if (!isObject(text) || typeof text.body !== 'string' || text.body.length === 0) {
    return param("The parameter text['body'] is required.");
  }
  if (chars(text.body) > GRAPH_LIMITS.textBody) {
    return param(`Param text['body'] must be at most ${GRAPH_LIMITS.textBody} characters long.`);
  }
  return null;
}

function validateHeaderAndFooter(interactive: Json, listOnlyText: boolean): Rejection | null {
  const header = interactive.header;
  if (header !== undefined) {
    if (!isObject(header) || typeof header.type !== 'string') return param("The parameter interactive['header']['type'] is required.");
    if (header.type === 'text') {
      const bad = checkLength(header.text, 'Header text', 1, GRAPH_LIMITS.headerText);
      if (bad) return bad;
    } else if (listOnlyText) {
      // Meta: a list message header supports text only.
      return invalid('Header type not supported for list messages. Supported types: text');
    } else if (!['image', 'video', 'document'].includes(header.type)) {
      return invalid('Header type invalid. Supported types: text, image, video, document');
    }
  }
  const footer = interactive.footer;
  if (footer !== undefined) {
    if (!isObject(footer)) return param("The parameter interactive['footer']['text'] is required.");
    const bad = checkLength(footer.text, 'Footer text', 1, GRAPH_LIMITS.footerText);
    if (bad) return bad;
  }
  return null;
}

function validateBody(interactive: Json): Rejection | null {
  const body = interactive.body;
  if (!isObject(body) || typeof body.text !== 'string' || body.text.length === 0) {
    return param("The parameter interactive['body']['text'] is required.");
  }
  // Meta caps every interactive body at 1024, lists included, even though a text message allows 4096.
  return checkLength(body.text, 'Body text', 1, GRAPH_LIMITS.interactiveBody);
}

function validateButtons(interactive: Json): Rejection | null {
  const action = interactive.action;
  const buttons = isObject(action) ? action.buttons : undefined;
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > GRAPH_LIMITS.buttons) {
    return invalid(`Invalid buttons count. Min allowed buttons: 1, Max allowed buttons: ${GRAPH_LIMITS.buttons}`);
  }
  const ids = new Set<string>();
  const titles = new Set<string>();
  for (const button of buttons) {
    if (!isObject(button) || button.type !== 'reply' || !isObject(button.reply)) {
      return param("The parameter interactive['action']['buttons'][0]['reply'] is required.");
    }
    const { id, title } = button.reply;
    const badTitle = checkLength(title, 'Button title', 1, GRAPH_LIMITS.buttonTitle);
    if (badTitle) return badTitle;
    const badId = checkLength(id, 'Button ID', 1, GRAPH_LIMITS.buttonId);
    if (badId) return badId;
    // Both checked above as strings.
    if (ids.has(id as string)) return invalid('Duplicate button id. Button ids must be unique within the message.');
    if (titles.has(title as string)) return invalid('Duplicate button title. Button titles must be unique within the message.');
    ids.add(id as string);
    titles.add(title as string);
  }
  return null;
}

function validateList(interactive: Json): Rejection | null {
  const action = interactive.action;
  if (!isObject(action)) return param("The parameter interactive['action'] is required.");
  const badButton = checkLength(action.button, 'Button text', 1, GRAPH_LIMITS.listButton);
  if (badButton) return badButton;
  const sections = action.sections;
  if (!Array.isArray(sections) || sections.length < 1 || sections.length > GRAPH_LIMITS.listSections) {
    return invalid(`Invalid sections count. Min allowed sections: 1, Max allowed sections: ${GRAPH_LIMITS.listSections}`);
  }
  let rowsTotal = 0;
  const rowIds = new Set<string>();
  for (const section of sections) {
    if (!isObject(section) || !Array.isArray(section.rows) || section.rows.length === 0) {
      return invalid('Invalid rows count. Each section needs at least 1 row.');
    }
    // Meta: a section title is required once there is more than one section, and at most 24.
    if (section.title !== undefined || sections.length > 1) {
      const badTitle = checkLength(section.title, 'Section title', 1, GRAPH_LIMITS.sectionTitle);
      if (badTitle) return badTitle;
    }
    rowsTotal += section.rows.length;
    if (rowsTotal > GRAPH_LIMITS.listRowsTotal) {
      // Verbatim wording Meta sends for this case.
      return invalid(`Total row count exceed max allowed count: ${GRAPH_LIMITS.listRowsTotal}`);
    }
    for (const row of section.rows) {
      if (!isObject(row)) return param("The parameter interactive['action']['sections'][0]['rows'][0]['id'] is required.");
      const badTitle = checkLength(row.title, 'Row title', 1, GRAPH_LIMITS.rowTitle);
      if (badTitle) return badTitle;
      if (row.description !== undefined) {
        const badDescription = checkLength(row.description, 'Row description', 0, GRAPH_LIMITS.rowDescription);
        if (badDescription) return badDescription;
      }
      const badId = checkLength(row.id, 'Row ID', 1, GRAPH_LIMITS.rowId);
      if (badId) return badId;
      // The answer comes back as list_reply.id alone, so two rows with one id could not be told apart.
      if (rowIds.has(row.id as string)) return invalid('Duplicate row id. Row ids must be unique within the message.');
      rowIds.add(row.id as string);
    }
  }
  return null;
}

function validateInteractive(body: Json): Rejection | null {
  const interactive = body.interactive;
  if (!isObject(interactive)) return param("The parameter interactive is required.");
  if (interactive.type === 'button') {
    return validateHeaderAndFooter(interactive, false) ?? validateBody(interactive) ?? validateButtons(interactive);
  }
  if (interactive.type === 'list') {
    return validateHeaderAndFooter(interactive, true) ?? validateBody(interactive) ?? validateList(interactive);
  }
  // Waspada only sends reply buttons and lists; anything else would be a renderer bug.
  return param("Param interactive['type'] must be one of {button, list}.");
}

function validateTemplate(body: Json): Rejection | null {
  const template = body.template;
  if (!isObject(template) || typeof template.name !== 'string' || template.name.length === 0) {
    return param("The parameter template['name'] is required.");
  }
  if (!isObject(template.language) || typeof template.language.code !== 'string' || template.language.code.length === 0) {
    return param("The parameter template['language']['code'] is required.");
  }
  return null;
}

/** Runs Meta's rules over a parsed body; null means Meta would accept it. */
function validate(body: unknown): Rejection | null {
  if (!isObject(body)) return param('Invalid parameter');
  if (body.messaging_product !== 'whatsapp') return param('The parameter messaging_product is required.');
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual' && body.recipient_type !== 'group') {
    return param('Param recipient_type must be one of {individual, group}.');
  }
  const to = typeof body.to === 'string' && body.to.length > 0 ? body.to : undefined;
  const recipient = typeof body.recipient === 'string' && body.recipient.length > 0 ? body.recipient : undefined;
  if (!to && !recipient) return param('The parameter to is required.');
  switch (body.type) {
    case 'text':
      return validateText(body);
    case 'interactive':
      return validateInteractive(body);
    case 'template':
      return validateTemplate(body);
    case undefined:
      // Meta defaults an absent type to text.
      return validateText(body);
    default:
      return param(`Param type must be one of {text, interactive, template}, got '${String(body.type)}'.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

const MESSAGES_PATH = /^\/(v\d+\.\d+)\/([^/]+)\/messages\/?$/;

/** Phones are compared as digits because Meta accepts `+62 812…` and answers with bare digits. */
function sameIdentity(a: string, b: string): boolean {
  if (a === b) return true;
  const looksLikePhone = (s: string) => /^[+\d][\d\s()-]*$/.test(s);
  return looksLikePhone(a) && looksLikePhone(b) && a.replace(/\D/g, '') === b.replace(/\D/g, '');
}

function addressedTo(body: GraphMessageBody, who: string): boolean {
  return (body.to !== undefined && sameIdentity(body.to, who)) || (body.recipient !== undefined && sameIdentity(body.recipient, who));
}

/** Starts the fake on a free loopback port. */
export async function startFakeGraphApi(options: FakeGraphApiOptions): Promise<FakeGraphApi> {
  const requests: RecordedRequest[] = [];
  const sentWithIds: SentMessage[] = [];
  // A queue rather than a counter, so a test can chain different failures in order.
  let pending: Array<{ kind: FailureKind; options: FailureOptions }> = [];
  let counter = 0;
  let closedWindows: string[] = [];

  const send = (res: ServerResponse, status: number, payload: unknown) => {
    // The Kapso client only parses JSON when the content type says so, like Graph's answers do.
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(payload));
  };

  const reject = (res: ServerResponse, record: Omit<RecordedRequest, 'outcome'>, r: Rejection, injected?: FailureKind) => {
    const outcome: RequestOutcome = {
      kind: 'rejected',
      httpStatus: r.httpStatus,
      code: r.code,
      message: r.message,
      ...(r.details !== undefined ? { details: r.details } : {}),
      ...(injected ? { injected } : {}),
    };
    requests.push({ ...record, outcome });
    send(res, r.httpStatus, errorBody(r));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, rawBody: string) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    let body: unknown;
    try {
      body = rawBody.length > 0 ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const record = { method: req.method ?? 'GET', path, headers: req.headers, rawBody, body };

    // Graph checks the token before anything else, so a bad token never reaches validation.
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      const missing = req.headers.authorization === undefined;
      return reject(res, record, {
        httpStatus: 401,
        code: 190,
        message: missing
          ? 'An active access token must be used to query information about the current user.'
          : 'Invalid OAuth access token - Cannot parse access token',
      });
    }

    const match = MESSAGES_PATH.exec(path);
    if (!match) return reject(res, record, { httpStatus: 400, code: 2500, message: `Unknown path components: ${path}` });
    if (record.method !== 'POST') {
      return reject(res, record, param(`Unsupported ${record.method.toLowerCase()} request.`));
    }
    const phoneNumberId = match[2] ?? '';
    if (options.phoneNumberId !== undefined && phoneNumberId !== options.phoneNumberId) {
      return reject(res, record, {
        httpStatus: 400,
        code: 100,
        subcode: 33,
        message: `Unsupported post request. Object with ID '${phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      });
    }

    // Injected failures come after auth (Meta throttles authenticated callers) and before
    // validation (a throttled request is refused whatever it contains).
    const failure = pending.shift();
    if (failure) {
      if (failure.kind === 'network') {
        requests.push({ ...record, outcome: { kind: 'dropped', injected: 'network' } });
        // No answer at all: the client sees a reset connection, as when a proxy or Meta drops it.
        req.socket.destroy();
        return;
      }
      const r = FAILURES[failure.kind];
      return reject(res, record, { ...r, httpStatus: failure.options.httpStatus ?? r.httpStatus }, failure.kind);
    }

    if (body === undefined) return reject(res, record, param('Invalid parameter'));
    const problem = validate(body);
    if (problem) return reject(res, record, problem);

    const message = body as GraphMessageBody;
    if (message.type === 'template' && options.templates) {
      const { name, language } = message.template;
      if (!options.templates.some((t) => t.name === name && t.language === language.code)) {
        return reject(res, record, {
          httpStatus: 404,
          code: 132001,
          message: '(#132001) Template name does not exist in the translation',
          details: `template name (${name}) does not exist in ${language.code}`,
        });
      }
    }
    // Outside the window only a template may reach the person.
    if (message.type !== 'template' && closedWindows.some((who) => addressedTo(message, who))) {
      return reject(res, record, FAILURES['outside-window']);
    }
    counter += 1;
    // Real wamids are opaque base64 strings; a counter plus randomness keeps them unique per run.
    const id = `wamid.${Buffer.from(`fake:${counter}:${randomBytes(6).toString('hex')}`).toString('base64url')}`;
    sentWithIds.push({ id, body: message });
    requests.push({ ...record, outcome: { kind: 'accepted', httpStatus: 200, messageId: id } });

    // Meta: when both are given, `to` wins; the answer then carries wa_id. A BSUID-only send is
    // answered with user_id and no wa_id.
    const contact = message.to
      ? { input: message.to, wa_id: message.to.replace(/\D/g, '') }
      : { input: message.recipient ?? '', user_id: message.recipient ?? '' };
    const answer: GraphSendSuccess = {
      messaging_product: 'whatsapp',
      contacts: [contact],
      // message_status appears only on template sends (Meta's pacing signal).
      messages: [message.type === 'template' ? { id, message_status: 'accepted' } : { id }],
    };
    send(res, 200, answer);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    token: options.token,
    requests,
    get sent() {
      return sentWithIds.map((m) => m.body);
    },
    sentWithIds,
    failNext(n, kind, failureOptions = {}) {
      for (let i = 0; i < n; i += 1) pending.push({ kind, options: failureOptions });
    },
    textsTo(recipient) {
      const texts: string[] = [];
      for (const { body } of sentWithIds) {
        if (!addressedTo(body, recipient)) continue;
        if (body.type === 'text') texts.push(body.text.body);
        else if (body.type === 'interactive') texts.push(body.interactive.body.text);
      }
      return texts;
    },
    messagesTo(recipient) {
      return sentWithIds.filter(({ body }) => addressedTo(body, recipient)).map((m) => m.body);
    },
    closeWindow(recipient) {
      if (!closedWindows.includes(recipient)) closedWindows.push(recipient);
    },
    openWindow(recipient) {
      closedWindows = closedWindows.filter((who) => who !== recipient);
    },
    reset() {
      // Mutate in place: tests may hold references to the arrays.
      requests.length = 0;
      sentWithIds.length = 0;
      pending = [];
      closedWindows = [];
    },
    close() {
      // Keep-alive sockets from fetch would otherwise hold close() open.
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
