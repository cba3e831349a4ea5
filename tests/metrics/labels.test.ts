/**
 * Label values come from bounded sets: a provider's error becomes its documented code or `other`,
 * never its message; a method, a status, a channel or a sign outside their lists becomes `other`.
 */
import { GraphApiError } from '@kapso/whatsapp-cloud-api';
import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { WebhookDeliveryError } from '../../src/handoff/webhookSender.js';
import { bounded, CHANNELS, errorCode, httpMethod, refusalCode, statusClass } from '../../src/metrics/labels.js';
import { StoreUnavailableError } from '../../src/storage/store.js';

const graphError = (code: number, status = 400) =>
  GraphApiError.fromResponse(new Response(null, { status }), { error: { message: `(#${code}) about +62 812 3456 7890`, type: 'OAuthException', code, fbtrace_id: 'A1' } });
const telegramError = (code: number) => new GrammyError('Call to sendMessage failed', { ok: false, error_code: code, description: 'Forbidden: bot was blocked by the user 7123450987' }, 'sendMessage', {});

describe('error codes', () => {
  it('keeps the documented WhatsApp codes and the usual HTTP statuses, nothing else', () => {
    expect([131047, 131049, 130429, 131000, 100, 190].map((c) => errorCode(graphError(c)))).toEqual(['131047', '131049', '130429', '131000', '100', '190']);
    expect(errorCode(graphError(987654))).toBe('other');
    expect([403, 400, 429, 502].map((c) => errorCode(telegramError(c)))).toEqual(['403', '400', '429', '502']);
    expect(errorCode(telegramError(418))).toBe('other');
    expect(errorCode(new WebhookDeliveryError('case webhook answered 500', 500))).toBe('500');
    expect(errorCode(new WebhookDeliveryError('case webhook answered 299', 299))).toBe('other');
    expect(errorCode(new WebhookDeliveryError('case webhook not delivered (timeout)', 'timeout'))).toBe('timeout');
  });

  it('names connection trouble by its kind, and anything else `error`', () => {
    expect(errorCode(new StoreUnavailableError('redis unavailable'))).toBe('store');
    expect(errorCode(new HttpError('Network request for sendMessage failed', new Error('ECONNRESET')))).toBe('network');
    expect(errorCode(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') }))).toBe('network');
    expect(errorCode(new DOMException('The operation timed out.', 'TimeoutError'))).toBe('timeout');
    expect(errorCode(new Error('no sender for channel whatsapp'))).toBe('error');
    expect(errorCode('a string thrown')).toBe('error');
  });

  it('bounds the codes senders report for refused messages', () => {
    expect(refusalCode('whatsapp', 131047)).toBe('131047');
    expect(refusalCode('whatsapp', 6281234567)).toBe('other');
    expect(refusalCode('telegram', 403)).toBe('403');
    expect(refusalCode('telegram', 7123450987)).toBe('other');
  });
});

describe('other labels', () => {
  it('maps anything outside a list to `other`', () => {
    expect(['GET', 'POST', 'PROPFIND', 'get'].map(httpMethod)).toEqual(['GET', 'POST', 'other', 'other']);
    expect([200, 204, 303, 404, 503, 42, 999].map(statusClass)).toEqual(['2xx', '2xx', '3xx', '4xx', '5xx', 'other', 'other']);
    expect(['whatsapp', 'hotline-webhook', 'sms', undefined].map((c) => bounded(c, CHANNELS))).toEqual(['whatsapp', 'hotline-webhook', 'other', 'other']);
  });
});
