/**
 * Fuzzing the web chat API (`POST /api/v1/chat/messages` and `/api/v1/chat/updates`) with the
 * real app on a real Redis: random and mutated bodies, wrong content types, non-JSON, too large
 * bodies, prototype-polluting keys, deep nesting, edge numbers and lone surrogates.
 *
 * - What must be refused is refused with a 4xx and a catalogue code, and writes nothing to Redis.
 * - What the schema accepts (unusual but valid) is answered 200 with the bot's messages.
 * - `/updates` only reads: nothing it is sent, valid or not, writes anything.
 * - Never a 5xx, an error log line, an unhandled rejection or a polluted prototype; a normal
 *   request is still answered afterwards.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectKeyspaceUnchanged, expectNoHarm, expectRefusal, fuzz, JSON_TYPE, post, PROPERTY_TIMEOUT_MS, send, useRig, type Post } from './harness.js';
import { get, hostile, mutate, mutations, nonJsonBody, notObject, notString, Obj, PROTO_KEYS, set, toText, WRONG_CONTENT_TYPES, type J } from './payloads.js';

const MESSAGES = '/api/v1/chat/messages';
const UPDATES = '/api/v1/chat/updates';
/** CHAT_BODY_LIMIT_BYTES's default. */
const LIMIT = 16 * 1024;
const SIZES = { longString: 12_000, nesting: 7000 };

const rig = useRig();

// ---------------------------------------------------------------------------------------------
// Valid requests
// ---------------------------------------------------------------------------------------------

const session = fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/);
const messageId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
/** Any text the schema takes: 1 to 4096 UTF-16 units, not only white space (lone surrogates and all). */
const text = fc
  .oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4096 }), fc.constantFrom('halo', 'tolong', 'hapus', 'menu', 'ya', '1', 'SOS', '\u200b', 'Rp 15jt', '__proto__', 'constructor', 'toString'))
  .map((t) => t.slice(0, 4096))
  .filter((t) => t.trim() !== '');
/** Option ids of the menu and the check, and words that name Object.prototype's members: looked up anywhere as a key, they must find nothing. */
const WORDS = ['check', 'report', 'abroad', 'person', 'language', 'sos', 'yes', 'no', 'unknown', 'mekong', '__proto__', 'constructor', 'prototype', 'tostring', 'valueof', 'hasownproperty', '__definegetter__'];
const choice = fc.oneof(fc.constantFrom(...WORDS), fc.stringMatching(/^[a-z0-9_]{1,64}$/));
const start = fc.oneof(fc.constantFrom(null, '', ...WORDS, 'toString', 'hasOwnProperty'), fc.string({ unit: 'binary', maxLength: 64 }).filter((s) => s.length <= 64));
/** Unknown fields the schema drops (no key that Fastify's parser refuses as prototype poisoning). */
const extra = fc.array(fc.tuple(fc.string({ maxLength: 12 }).filter((k) => !['session', 'id', 'text', 'choice', 'start', '__proto__', 'constructor'].includes(k)), hostile(SIZES, false)), { maxLength: 3 });

const validMessage: fc.Arbitrary<Obj> = fc
  .tuple(session, fc.option(messageId, { nil: undefined }), fc.oneof(text.map((t) => ['text', t] as const), choice.map((c) => ['choice', c] as const), start.map((s) => ['start', s] as const)), extra)
  .map(([s, id, [field, value], more]) => {
    const fields: Array<[string, J]> = [['session', s], ...(id !== undefined ? ([['id', id]] as Array<[string, J]>) : []), [field, value]];
    return new Obj([...fields, ...more.filter(([k]) => !fields.some(([f]) => f === k))]);
  });

const validUpdates: fc.Arbitrary<Obj> = fc
  .tuple(session, fc.option(fc.stringMatching(/^[A-Za-z0-9-]{1,64}$/), { nil: undefined }), extra)
  .map(([s, after, more]) => new Obj([['session', s], ...(after !== undefined ? ([['after', after]] as Array<[string, J]>) : []), ...more.filter(([k]) => k !== 'after')]));

/** Whether a body text carries a key Fastify's JSON parser refuses (an own `__proto__`, or `constructor.prototype`). */
const poisoned = (body: string): boolean => /"__proto__"\s*:|"constructor"\s*:\s*\{\s*"prototype"\s*:/.test(body);

// ---------------------------------------------------------------------------------------------
// Requests that must be refused
// ---------------------------------------------------------------------------------------------

/** A request the route must refuse, with the status and (for a broken field) the field the message names. */
interface Refused {
  post: Post;
  status: number;
  field?: string;
}

function refusedOf(url: string, label: string, tree: J, field?: string): Refused {
  const body = toText(tree);
  const status = Buffer.byteLength(body) > LIMIT ? 413 : 400;
  return { post: post(label, url, body, JSON_TYPE), status, ...(field && status === 400 && !poisoned(body) ? { field } : {}) };
}

/** A valid body with one field broken: each arbitrary yields a label, the broken tree and the field. */
function brokenFields(valid: fc.Arbitrary<Obj>, fields: Record<string, fc.Arbitrary<J | undefined>>): fc.Arbitrary<[string, J, string]> {
  return fc.oneof(
    ...Object.entries(fields).map(([field, bad]) => fc.tuple(valid, bad).map(([v, b]): [string, J, string] => [`${field} broken`, set(v, field, b), field])),
  );
}

const badSession = fc.oneof(
  fc.constant(undefined),
  notString(SIZES),
  fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{0,7}$/), fc.stringMatching(/^[A-Za-z0-9_-]{65,90}$/), fc.string({ unit: 'binary', maxLength: 70 })).filter((s) => !/^[A-Za-z0-9_-]{8,64}$/.test(s)),
);
const badId = fc.oneof(notString(SIZES), fc.string({ unit: 'binary', maxLength: 70 }).filter((s) => !/^[A-Za-z0-9_-]{1,64}$/.test(s)));

const refusedMessage: fc.Arbitrary<Refused> = fc.oneof(
  // Another content type than JSON, or none: 415 before the body is read.
  fc.tuple(validMessage, fc.constantFrom(...WRONG_CONTENT_TYPES)).map(([v, type]) => ({ post: post(`content type ${String(type)}`, MESSAGES, toText(v), { 'content-type': type }), status: 415 })),
  // Not JSON at all (empty, cut short, garbled, random bytes).
  nonJsonBody(validMessage.map(toText)).map((body) => ({ post: post('not JSON', MESSAGES, body, JSON_TYPE), status: body.length > LIMIT ? 413 : 400 })),
  // Keys that would pollute a prototype, at the top or deeper down.
  fc.tuple(validMessage, fc.constantFrom('__proto__', 'constructor'), hostile(SIZES), fc.boolean()).map(([v, key, value, deep]) => {
    const poison = new Obj([[key, key === 'constructor' ? new Obj([['prototype', new Obj([['polluted', value]])]]) : new Obj([['polluted', value]])]]);
    return refusedOf(MESSAGES, `poisoned ${key}`, deep ? set(v, 'x', [poison]) : new Obj([...v.entries, ...poison.entries]));
  }),
  // Over the body limit: a long unknown field.
  fc.tuple(validMessage, fc.integer({ min: LIMIT + 1, max: 3 * LIMIT })).map(([v, n]) => refusedOf(MESSAGES, 'too large', set(v, 'padding', 'x'.repeat(n)))),
  // No object at all.
  notObject(SIZES).map((v) => refusedOf(MESSAGES, 'not an object', v)),
  // One field broken.
  brokenFields(validMessage, {
    session: badSession,
    id: badId,
    text: fc.oneof(notString(SIZES), fc.constantFrom('', ' ', '\n\t', '\u00a0', '\ufeff', ' \u2028 '), fc.integer({ min: 4097, max: 6000 }).map((n) => 'a'.repeat(n))),
    choice: fc.oneof(notString(SIZES), fc.string({ unit: 'binary', maxLength: 70 }).filter((s) => !/^[a-z0-9_]{1,64}$/.test(s))),
    start: fc.oneof(notString(SIZES).filter((v) => v !== null), fc.string({ minLength: 65, maxLength: 200 })),
  }).map(([label, tree, field]) => refusedOf(MESSAGES, label, tree, field)),
  // None, two or three of text, choice and start.
  fc.tuple(validMessage, fc.subarray(['text', 'choice', 'start'] as const).filter((keep) => keep.length !== 1)).map(([v, keep]) => {
    const values = { text: 'halo', choice: 'check', start: 'check' };
    const tree = keep.reduce((t, k) => set(t, k, values[k]), new Obj(v.entries.filter(([k]) => !['text', 'choice', 'start'].includes(k))));
    return refusedOf(MESSAGES, `${keep.length} of text, choice and start`, tree);
  }),
);

const refusedUpdates: fc.Arbitrary<Refused> = fc.oneof(
  fc.tuple(validUpdates, fc.constantFrom(...WRONG_CONTENT_TYPES)).map(([v, type]) => ({ post: post(`content type ${String(type)}`, UPDATES, toText(v), { 'content-type': type }), status: 415 })),
  nonJsonBody(validUpdates.map(toText)).map((body) => ({ post: post('not JSON', UPDATES, body, JSON_TYPE), status: body.length > LIMIT ? 413 : 400 })),
  fc.tuple(validUpdates, fc.constantFrom(...PROTO_KEYS.slice(0, 2)), hostile(SIZES)).map(([v, key, value]) =>
    refusedOf(UPDATES, `poisoned ${key}`, new Obj([...v.entries, [key, key === 'constructor' ? new Obj([['prototype', new Obj([['polluted', value]])]]) : new Obj([['polluted', value]])]])),
  ),
  fc.tuple(validUpdates, fc.integer({ min: LIMIT + 1, max: 3 * LIMIT })).map(([v, n]) => refusedOf(UPDATES, 'too large', set(v, 'padding', 'x'.repeat(n)))),
  notObject(SIZES).map((v) => refusedOf(UPDATES, 'not an object', v)),
  brokenFields(validUpdates, {
    session: badSession,
    after: fc.oneof(notString(SIZES), fc.string({ unit: 'binary', maxLength: 70 }).filter((s) => !/^[A-Za-z0-9-]{1,64}$/.test(s))),
  }).map(([label, tree, field]) => refusedOf(UPDATES, label, tree, field)),
);

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/** The refusal is a catalogue error and nothing was written. */
async function expectRefusedAndNothingStored(r: Refused): Promise<void> {
  const { res, writes } = await rig.observe(() => send(rig, r.post));
  expectRefusal(res, r.status, r.post.label);
  if (r.field) expect(res.json<{ error: { message: string } }>().error.message, `${r.post.label}: the message names the field`).toMatch(new RegExp(`^${r.field}\\b|exactly one of`));
  expect(rig.junk(writes), `${r.post.label}: nothing stored`).toEqual([]);
}

type Answer = { messages: Array<{ text: unknown; choices?: unknown }>; staff?: unknown; duplicate?: unknown };

/** The app is fine: no crash, no error logged, and a new person is still greeted. */
async function expectHealthy(): Promise<void> {
  const res = await send(rig, post('a normal request', MESSAGES, JSON.stringify({ session: `healthy-${Date.now()}`, text: 'halo' }), JSON_TYPE));
  expect(res.statusCode).toBe(200);
  expect(res.json<Answer>().messages[0]?.text).toMatch(/Waspada/);
  expectNoHarm(rig);
}

describe('POST /api/v1/chat/messages under fuzzing', () => {
  it('refuses what it must with a 4xx catalogue error and stores nothing (1,000 cases)', async () => {
    await expectKeyspaceUnchanged(rig, () => fuzz('chat messages, must be refused', refusedMessage, 1000, expectRefusedAndNothingStored, 1));
    await expectHealthy();
  }, PROPERTY_TIMEOUT_MS);

  it('answers unusual but valid requests with the bot’s messages (400 cases)', async () => {
    await fuzz('chat messages, valid', validMessage, 400, async (tree) => {
      const body = toText(tree);
      const { res, writes } = await rig.observe(() => send(rig, post('valid', MESSAGES, body, JSON_TYPE)));
      // A valid text may still be too large once escaped (4096 lone surrogates are 24 KiB of \ud800).
      if (Buffer.byteLength(body) > LIMIT) return expectRefusal(res, 413, 'valid but too large');
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      const answer = res.json<Answer>();
      expect(Array.isArray(answer.messages)).toBe(true);
      for (const m of answer.messages) expect(typeof m.text).toBe('string');
      // A retried id may come back as a duplicate only when the request carried one.
      if (answer.duplicate) expect(get(tree, 'id')).toBeDefined();
      // The watcher sees what a request stores: a handled message saves the person's session.
      else expect(rig.junk(writes).map((w) => w.event)).toContain('set');
    }, 2);
    await expectHealthy();
  }, PROPERTY_TIMEOUT_MS);

  it('answers mutated requests with 200 or a 4xx catalogue error, and a refused one stores nothing (300 cases)', async () => {
    await fuzz('chat messages, mutated', fc.tuple(validMessage, mutations(SIZES)), 300, async ([tree, ms]) => {
      const body = toText(ms.reduce<J>(mutate, tree));
      const { res, writes } = await rig.observe(() => send(rig, post('mutated', MESSAGES, body, JSON_TYPE)));
      expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
      if (res.statusCode !== 200) {
        expectRefusal(res, res.statusCode, 'mutated');
        expect(rig.junk(writes), 'a refused request stores nothing').toEqual([]);
      }
    }, 3);
    await expectHealthy();
  }, PROPERTY_TIMEOUT_MS);
});

describe('bodies that are not UTF-8 (found by fuzzing: bad bytes were read as U+FFFD and the session stored)', () => {
  it.each([
    ['a stray byte', [0xff]],
    ['an overlong NUL', [0xc0, 0x80]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a cut sequence', [0xe2, 0x82]],
  ])('refuses %s inside a valid request with 400 and stores nothing', async (_name, bytes) => {
    const body = Buffer.concat([Buffer.from('{"session":"utf8-session-1","text":"hal'), Buffer.from(bytes), Buffer.from('o"}')]);
    for (const url of [MESSAGES, UPDATES]) {
      const { res, writes } = await rig.observe(() => send(rig, post('not UTF-8', url, body, JSON_TYPE)));
      expectRefusal(res, 400, 'not UTF-8');
      expect(res.json<{ error: { message: string } }>().error.message).toBe('The body is not valid JSON.');
      expect(rig.junk(writes)).toEqual([]);
    }
  });
});

describe('POST /api/v1/chat/updates under fuzzing', () => {
  it('refuses what it must with a 4xx catalogue error and stores nothing (1,000 cases)', async () => {
    await expectKeyspaceUnchanged(rig, () => fuzz('chat updates, must be refused', refusedUpdates, 1000, expectRefusedAndNothingStored, 4));
    await expectHealthy();
  }, PROPERTY_TIMEOUT_MS);

  it('answers valid and mutated polls and never writes anything (300 cases)', async () => {
    await expectKeyspaceUnchanged(rig, () => fuzz('chat updates, valid or mutated', fc.tuple(validUpdates, fc.option(mutations(SIZES), { nil: undefined })), 300, async ([tree, ms]) => {
      const body = toText(ms ? ms.reduce<J>(mutate, tree) : tree);
      const { res, writes } = await rig.observe(() => send(rig, post(ms ? 'mutated' : 'valid', UPDATES, body, JSON_TYPE)));
      expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
      if (!ms && Buffer.byteLength(body) > LIMIT) {
        expectRefusal(res, 413, 'valid but too large');
      } else if (!ms) {
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({ messages: [], staff: false });
      } else if (res.statusCode !== 200) {
        expectRefusal(res, res.statusCode, 'mutated');
      }
      expect(rig.junk(writes), 'a poll stores nothing').toEqual([]);
    }, 5));
    await expectHealthy();
  }, PROPERTY_TIMEOUT_MS);
});
