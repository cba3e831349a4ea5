/**
 * Label values for the metrics, each from a bounded set. A label never carries what a request or
 * a provider sent us as text (an id, a number, a message, an error description): every value is
 * looked up in a fixed list, and anything else becomes `other`. That keeps personal data out of
 * the metrics and keeps their number of series small, whatever a client or a provider sends.
 */
import { GraphApiError } from '@kapso/whatsapp-cloud-api';
import { GrammyError, HttpError } from 'grammy';
import { WebhookDeliveryError } from '../handoff/webhookSender.js';
import { StoreUnavailableError } from '../storage/store.js';

/** What a value outside a label's list becomes. */
export const OTHER = 'other';

/** A label's value when it is in `allowed`, else `other`. */
export function bounded(value: string | undefined, allowed: ReadonlySet<string>): string {
  return value !== undefined && allowed.has(value) ? value : OTHER;
}

/** The channels and staff surfaces an outbox entry or a message can name. */
export const CHANNELS: ReadonlySet<string> = new Set(['whatsapp', 'telegram', 'web', 'hotline-telegram', 'hotline-webhook']);

/** The kinds of input a person sends (the engine's `Input`; staff actions are not counted as inbound). */
export const INPUT_TYPES: ReadonlySet<string> = new Set(['text', 'choice', 'start', 'media']);

export const LEVELS: ReadonlySet<string> = new Set(['low', 'medium', 'high']);
export const PRIORITIES: ReadonlySet<string> = new Set(['urgent', 'high', 'normal']);
export const CASE_REASONS: ReadonlySet<string> = new Set(['high_risk', 'asked_for_person', 'abroad', 'report', 'emergency']);
/** How staff close a case (case.ts OUTCOMES), and `erased` when the person erased their data. */
export const CASE_OUTCOMES: ReadonlySet<string> = new Set(['referred', 'resolved', 'no_response', 'duplicate', 'spam', 'erased']);

const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** An HTTP method, or `other` for anything unusual a client sent. */
export function httpMethod(method: string): string {
  return bounded(method, METHODS);
}

/** `2xx`, `4xx`…: the class of an HTTP status. */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : OTHER;
}

/**
 * WhatsApp Cloud API error codes worth telling apart on a dashboard (Meta's error-code table):
 * throttling, the 24-hour window, the ecosystem limit, a person not on WhatsApp or opted out,
 * invalid messages, templates, an expired token or a missing permission, server trouble.
 */
const GRAPH_CODES: ReadonlySet<number> = new Set([
  0, 1, 2, 3, 4, 10, 100, 190, 200, 368, 80007, 130429, 130472, 130497, 131000, 131005, 131008, 131009, 131016, 131021, 131026, 131031, 131037, 131042, 131045,
  131047, 131049, 131050, 131051, 131052, 131053, 131056, 131057, 132000, 132001, 132005, 132007, 132012, 132015, 132016, 132068, 132069, 133000, 133004,
  133005, 133006, 133008, 133009, 133010, 133015, 133016, 135000,
]);

/** HTTP statuses a provider or a case webhook may answer with, told apart; any other is `other`. */
const HTTP_CODES: ReadonlySet<number> = new Set([400, 401, 403, 404, 408, 409, 410, 413, 415, 420, 422, 429, 500, 502, 503, 504]);

/**
 * A failure as a bounded code: a WhatsApp error code (`131047`), a Telegram or case-webhook HTTP
 * status (`403`), `network`, `timeout`, `store` (Redis could not be reached), or `error`.
 */
export function errorCode(err: unknown): string {
  if (err instanceof GraphApiError) return GRAPH_CODES.has(err.code) ? String(err.code) : OTHER;
  if (err instanceof GrammyError) return HTTP_CODES.has(err.error_code) ? String(err.error_code) : OTHER;
  if (err instanceof StoreUnavailableError) return 'store';
  if (err instanceof WebhookDeliveryError) return typeof err.code === 'number' ? (HTTP_CODES.has(err.code) ? String(err.code) : OTHER) : (err.code ?? 'error');
  if (err instanceof HttpError) return 'network';
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'timeout';
  // fetch reports connection trouble as a TypeError with a cause (ECONNREFUSED, ECONNRESET, DNS).
  if (err instanceof TypeError || (err instanceof Error && err.cause instanceof Error)) return 'network';
  return 'error';
}

/** A refusal code a sender reported (`SendOutcome`), bounded the same way. */
export function refusalCode(channel: string, code: number): string {
  if (channel === 'whatsapp') return GRAPH_CODES.has(code) ? String(code) : OTHER;
  return HTTP_CODES.has(code) ? String(code) : OTHER;
}
