/**
 * Fuzzing the WhatsApp webhook (`POST /webhooks/whatsapp`) with the real app on a real Redis.
 * Most bodies carry a valid `X-Hub-Signature-256` over the garbage, so that they get past the
 * signature check and reach the parser; others carry every kind of wrong signature.
 *
 * What the route must do (README, "WhatsApp"; src/http/whatsappRoutes.ts):
 * - a missing or wrong signature: 401, nothing stored, whatever the body;
 * - another content type: 415; a body that is no JSON or no envelope
 *   (`object`, `entry[].id`, `entry[].changes[].field`): 400; nothing stored;
 * - a well-formed envelope with nothing the bot handles (other fields, other numbers, statuses,
 *   group messages, unknown or unreadable messages): 200 `{"received": 0}`, nothing stored
 *   (Meta would redeliver anything else for days);
 * - a well-formed envelope with k readable messages among odd items: 200 `{"received": k}`;
 *   each odd item costs nothing to its neighbours.
 * Never a 5xx, an error log line, an unhandled rejection or a polluted prototype; a normal
 * message is still handled afterwards.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectKeyspaceUnchanged, expectNoHarm, expectRefusal, fuzz, post, PROPERTY_TIMEOUT_MS, send, WHATSAPP, useRig, type Post } from './harness.js';
import { fromJs, hostile, mutate, mutations, nonJsonBody, notArray, notObject, notString, Obj, Raw, set, toText, WRONG_CONTENT_TYPES, type J } from './payloads.js';

const URL = '/webhooks/whatsapp';
/** Within the 1 MiB limit, kept smaller for speed; the megabyte cases are written out below. */
const SIZES = { longString: 20_000, nesting: 10_000 };
const MEDIA_TYPES = ['image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts', 'reaction', 'unsupported'];

const rig = useRig();

const sign = (body: Buffer | string, secret: string = WHATSAPP.secret): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
/** A POST signed with the app secret over its exact bytes. */
const signed = (label: string, body: Buffer | string, contentType: { type: string | undefined } = { type: 'application/json' }): Post =>
  post(label, URL, body, { 'content-type': contentType.type, 'x-hub-signature-256': sign(body) });

// ---------------------------------------------------------------------------------------------
// The parts of a webhook
// ---------------------------------------------------------------------------------------------

const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('', '\ud800', '0', '__proto__', '{s1}', 'a|b'));
const someString = anyString.filter((s) => s !== '');
const userId = fc.oneof(fc.stringMatching(/^[A-Z]{2}\.\d{12,20}$/), fc.stringMatching(/^\d{8,15}$/), someString);
const wamid = fc.oneof(fc.stringMatching(/^wamid\.[A-Za-z0-9=]{10,40}$/), someString);
const now = () => Math.floor(Date.now() / 1000);
/** Digit strings: now, the epoch, far past the year 10,000, and 400 digits. */
const timestamp = fc.oneof(fc.constant(null).map(() => String(now())), fc.constantFrom('0', '1', '99999999999999999999', `1${'0'.repeat(400)}`), fc.stringMatching(/^\d{1,30}$/));
/** Fields Meta may add one day, and hostile ones: the schema drops them. */
const unknownFields = fc.array(fc.tuple(fc.constantFrom('context', 'referral', 'errors', 'identity', 'profile', 'x', '__proto__', 'constructor', 'hasOwnProperty', 'toString'), hostile(SIZES)), { maxLength: 2 });

/** A message the bot reads (it becomes an input), with unknown fields thrown in. */
const readableMessage: fc.Arbitrary<Obj> = fc
  .tuple(
    wamid,
    timestamp,
    fc.oneof(
      fc.tuple(userId, fc.option(userId, { nil: undefined })).map(([u, phone]) => ({ from_user_id: u, ...(phone ? { from: phone } : {}) })),
      userId.map((phone) => ({ from: phone })),
    ),
    fc.oneof(
      fc.oneof(anyString, fc.string({ unit: 'grapheme', maxLength: 5000 }), fc.integer({ min: 5000, max: SIZES.longString }).map((n) => 'a'.repeat(n))).map((body) => ({ type: 'text', text: { body } })),
      fc.tuple(anyString, fc.constantFrom('button_reply', 'list_reply'), anyString).map(([id, kind, type]) => ({ type: 'interactive', interactive: { type, [kind]: { id, title: 'x' } } })),
      fc.tuple(anyString, anyString).map(([a, b]) => ({ type: 'button', button: { payload: `${a}|${b}` } })),
      someString.map((text) => ({ type: 'button', button: { text } })),
      fc.tuple(fc.constantFrom(...MEDIA_TYPES), fc.option(anyString, { nil: undefined })).map(([type, caption]) => ({ type, ...(['image', 'video', 'document'].includes(type) ? { [type]: caption === undefined ? {} : { caption } } : {}) })),
    ),
    unknownFields,
  )
  .map(([id, ts, sender, content, more]) => new Obj([...(fromJs({ id, timestamp: ts, ...sender, ...content }) as Obj).entries, ...more]));

/** Messages the bot must not act on: each is unreadable, from a group, without a sender, or of a type it does not handle. */
const ignoredMessage: fc.Arbitrary<J> = fc.oneof(
  notObject(SIZES),
  readableMessage.chain((m) =>
    fc.oneof(
      // Unreadable: a required field missing, empty or of the wrong type, or a typed field of the wrong type.
      fc.tuple(fc.constantFrom('id', 'timestamp', 'type'), fc.oneof(fc.constant(undefined), notString(SIZES), fc.constant(''))).map(([k, v]) => set(m, k, v)),
      fc.oneof(someString.filter((s) => !/^\d+$/.test(s)), fc.constant('12.5'), fc.constant('-1')).map((ts) => set(m, 'timestamp', ts)),
      fc.tuple(fc.constantFrom('from', 'from_user_id', 'group_id', 'text', 'interactive', 'button', 'image', 'video', 'document'), fc.oneof(notString(SIZES), notObject(SIZES))).map(([k, v]) => {
        // A string is right for the first three, an object for the others: give each the other kind.
        const stringField = ['from', 'from_user_id', 'group_id'].includes(k);
        return set(m, k, stringField ? (typeof v === 'string' || (v instanceof Raw && v.text.startsWith('"')) ? 5 : v) : v instanceof Obj || (v instanceof Raw && v.text.startsWith('{')) ? 'x' : v);
      }),
      // A group message.
      someString.map((g) => set(m, 'group_id', g)),
      // No sender at all.
      fc.constant(set(set(m, 'from', undefined), 'from_user_id', undefined)),
      fc.constant(set(set(m, 'from', ''), 'from_user_id', undefined)),
      // A type the bot does not handle, or a handled type without its content.
      someString.filter((t) => !['text', 'interactive', 'button', ...MEDIA_TYPES].includes(t)).map((t) => set(m, 'type', t)),
      fc.constant(set(set(m, 'type', 'text'), 'text', undefined)),
      fc.constant(set(set(m, 'type', 'interactive'), 'interactive', fromJs({ type: 'nfm_reply' }))),
      fc.oneof(fc.constant(fromJs({})), fc.constant(fromJs({ payload: 'no bar', text: '' }))).map((b) => set(set(m, 'type', 'button'), 'button', b)),
    ),
  ),
);

/** Statuses of every shape: they are reported (failed ones), never answered, never stored. */
const status: fc.Arbitrary<J> = fc.oneof(
  hostile(SIZES),
  fc.tuple(wamid, fc.constantFrom('sent', 'delivered', 'read', 'failed', 'deleted'), fc.option(fc.array(fc.record({ code: fc.oneof(fc.constantFrom(131047, 131049, 130429, 0, -1), fc.integer()), title: anyString }), { maxLength: 3 }), { nil: undefined })).map(
    ([id, s, errors]) => fromJs({ id, status: s, timestamp: String(now()), recipient_id: '6281234567890', ...(errors ? { errors } : {}) }),
  ),
);

/** Contacts of a change: readable ones, and odd ones that must not cost the messages beside them. */
const contact: fc.Arbitrary<J> = fc.oneof(
  fc.tuple(fc.option(userId, { nil: undefined }), fc.option(userId, { nil: undefined })).map(([wa, u]) => fromJs({ profile: { name: 'x' }, ...(wa ? { wa_id: wa } : {}), ...(u ? { user_id: u } : {}) })),
  hostile(SIZES),
);

/** The `value` of a `messages` change: this number's, with the given messages, and contacts and statuses beside them. */
const value = (messages: fc.Arbitrary<J[]>, oddContacts: boolean): fc.Arbitrary<Obj> =>
  fc
    .tuple(messages, fc.option(fc.array(oddContacts ? contact : contact.filter((c) => c instanceof Obj), { maxLength: 3 }), { nil: undefined }), fc.option(fc.array(status, { maxLength: 3 }), { nil: undefined }), fc.boolean())
    .map(([ms, contacts, statuses, metadata]) =>
      new Obj([
        ['messaging_product', 'whatsapp'],
        ...(metadata ? ([['metadata', fromJs({ display_phone_number: '6281110002000', phone_number_id: WHATSAPP.phoneNumberId })]] as Array<[string, J]>) : []),
        ...(contacts ? ([['contacts', contacts]] as Array<[string, J]>) : []),
        ['messages', ms],
        ...(statuses ? ([['statuses', statuses]] as Array<[string, J]>) : []),
      ]),
    );

/** Changes that hold nothing for the bot. */
const ignoredChange: fc.Arbitrary<Obj> = fc.oneof(
  // Another field (account updates, templates…), whatever its value.
  fc.tuple(someString.filter((f) => f !== 'messages'), fc.oneof(hostile(SIZES), value(fc.array(readableMessage, { maxLength: 2 }), true))).map(([field, v]) => fromJs({ field, value: v }) as Obj),
  // A value the bot cannot read: no object, another product, a list that is no list, unreadable metadata.
  fc.oneof(
    notObject(SIZES),
    value(fc.array(readableMessage, { minLength: 1, maxLength: 2 }), true).chain((v) =>
      fc.oneof(
        hostile(SIZES).filter((p) => p !== 'whatsapp').map((p) => set(v, 'messaging_product', p)),
        fc.tuple(fc.constantFrom('messages', 'statuses', 'contacts'), notArray(SIZES)).map(([k, x]) => set(v, k, x)),
        fc.oneof(notObject(SIZES), fc.constant(fromJs({ phone_number_id: 5 }))).map((m) => set(v, 'metadata', m)),
        // A message to another number of the business account.
        someString.filter((n) => n !== WHATSAPP.phoneNumberId).map((n) => set(v, 'metadata', fromJs({ phone_number_id: n }))),
      ),
    ),
  ).map((v) => new Obj([['field', 'messages'], ['value', v]])),
  // This number's messages, none of which the bot acts on, and statuses.
  value(fc.array(ignoredMessage, { maxLength: 4 }), false).map((v) => fromJs({ field: 'messages', value: v }) as Obj),
);

/** An envelope around the given changes, spread over one to three entries (in order). */
function envelope(changes: Obj[], cuts: number[]): Obj {
  const entries: J[] = [];
  let from = 0;
  for (const cut of [...cuts.map((c) => c % (changes.length + 1)).sort((a, b) => a - b), changes.length]) {
    entries.push(fromJs({ id: '102290129340398', changes: changes.slice(from, Math.max(from, cut)) }));
    from = Math.max(from, cut);
  }
  return new Obj([['object', 'whatsapp_business_account'], ['entry', entries]]);
}

const ignoredEnvelope: fc.Arbitrary<Obj> = fc.tuple(fc.array(ignoredChange, { maxLength: 4 }), fc.array(fc.nat(), { maxLength: 2 })).map(([cs, cuts]) => envelope(cs, cuts));

/** An envelope with k ≥ 1 readable messages among ignored changes and odd messages, contacts and statuses. */
const acceptedEnvelope: fc.Arbitrary<{ tree: Obj; k: number }> = fc
  .tuple(
    fc.array(fc.tuple(fc.array(readableMessage, { minLength: 1, maxLength: 3 }), fc.array(ignoredMessage, { maxLength: 2 }), fc.array(fc.nat(), { maxLength: 2 })), { minLength: 1, maxLength: 2 }),
    fc.array(ignoredChange, { maxLength: 2 }),
    fc.array(fc.nat(), { maxLength: 2 }),
  )
  .chain(([groups, ignored, cuts]) =>
    fc.tuple(...groups.map(([good, odd, at]) => value(fc.constant(interleave(good, odd, at)), true))).map((values) => ({
      tree: envelope([...values.map((v) => fromJs({ field: 'messages', value: v }) as Obj), ...ignored], cuts),
      k: groups.reduce((n, [good]) => n + good.length, 0),
    })),
  );

function interleave(good: J[], odd: J[], at: number[]): J[] {
  const out = [...good];
  odd.forEach((o, i) => out.splice((at[i] ?? 0) % (out.length + 1), 0, o));
  return out;
}

/** Envelopes broken where the schema checks them: `object`, `entry`, an entry's `id` or `changes`, a change's `field`. */
const brokenEnvelope: fc.Arbitrary<J> = fc.oneof(
  notObject(SIZES),
  fc.tuple(ignoredEnvelope, fc.oneof(fc.constant(undefined), hostile(SIZES).filter((o) => o !== 'whatsapp_business_account'))).map(([e, o]) => set(e, 'object', o)),
  fc.tuple(ignoredEnvelope, fc.oneof(fc.constant(undefined), notArray(SIZES))).map(([e, x]) => set(e, 'entry', x)),
  fc.tuple(acceptedEnvelope, fc.nat(), fc.oneof(notObject(SIZES).map((x) => ({ whole: x })), fc.tuple(fc.constantFrom('id', 'changes'), fc.oneof(fc.constant(undefined), notString(SIZES), notArray(SIZES))).map(([k, x]) => ({ k, x })))).map(([{ tree }, i, b]) => {
    const entries = tree.entries.find(([k]) => k === 'entry')?.[1] as Obj[];
    const at = i % entries.length;
    const broken = entries.map((e, j) => {
      if (j !== at) return e;
      if ('whole' in b) return b.whole;
      // `id` must be a string and `changes` an array: give each a value of the wrong kind.
      const x = b.k === 'id' ? (typeof b.x === 'string' || (b.x instanceof Raw && b.x.text.startsWith('"')) ? [] : b.x) : Array.isArray(b.x) || (b.x instanceof Raw && b.x.text.startsWith('[')) ? 'x' : b.x;
      return set(e, b.k, x);
    });
    return set(tree, 'entry', broken);
  }),
  fc.tuple(acceptedEnvelope, fc.nat(), fc.oneof(fc.constant(undefined), notString(SIZES)), fc.boolean()).map(([{ tree }, i, x, whole]) => {
    const entries = tree.entries.find(([k]) => k === 'entry')?.[1] as Obj[];
    const entry = entries.find((e) => ((e.entries.find(([k]) => k === 'changes')?.[1] as J[]) ?? []).length > 0) as Obj;
    const changes = entry.entries.find(([k]) => k === 'changes')?.[1] as Obj[];
    const at = i % changes.length;
    // The whole change replaced by something that is neither an object nor a string, or its `field` by a non-string.
    const isObject = x instanceof Obj || (x instanceof Raw && x.text.startsWith('{'));
    // Or a change without its `value` (zod's z.unknown() still wants the key).
    const broken = changes.map((c, j) => (j !== at ? c : whole && x !== undefined && !isObject ? x : whole ? set(c, 'value', undefined) : set(c, 'field', x)));
    return set(tree, 'entry', entries.map((e) => (e === entry ? set(e, 'changes', broken) : e)));
  }),
);

// ---------------------------------------------------------------------------------------------
// Requests that must be refused or ignored
// ---------------------------------------------------------------------------------------------

interface Expected {
  post: Post;
  status: number;
}

/** Any body a stranger might send: a webhook, JSON of any kind, bytes. */
const anyBody: fc.Arbitrary<Buffer> = fc.oneof(
  acceptedEnvelope.map(({ tree }) => Buffer.from(toText(tree))),
  hostile(SIZES).map((v) => Buffer.from(toText(v))),
  fc.uint8Array({ maxLength: 500 }).map((a) => Buffer.from(a)),
);

/** Every kind of wrong signature: none, another secret, other bytes, one digit changed, the wrong length or algorithm, two of them. */
const badSignature: fc.Arbitrary<Expected> = fc
  .tuple(anyBody, fc.constantFrom('none', 'other secret', 'other bytes', 'one digit', 'short', 'long', 'sha1', 'no prefix', 'not hex', 'twice', 'empty', 'prefix only'), fc.nat())
  .map(([body, kind, n]) => {
    const good = sign(body);
    const hex = good.slice('sha256='.length);
    const at = n % 64;
    const flipped = `${hex.slice(0, at)}${hex[at] === '0' ? '1' : '0'}${hex.slice(at + 1)}`;
    const signatures: Record<string, string | string[] | undefined> = {
      none: undefined,
      'other secret': sign(body, `${WHATSAPP.secret}x`),
      'other bytes': sign(Buffer.concat([body, Buffer.from(' ')])),
      'one digit': `sha256=${flipped}`,
      short: good.slice(0, -1),
      long: `${good}0`,
      sha1: `sha1=${createHmac('sha1', WHATSAPP.secret).update(body).digest('hex')}`,
      'no prefix': hex,
      'not hex': `sha256=${'z'.repeat(64)}`,
      twice: [good, good],
      empty: '',
      'prefix only': 'sha256=',
    };
    const signature = signatures[kind];
    return { post: post(`signature: ${kind}`, URL, body, { 'content-type': 'application/json', ...(signature !== undefined ? { 'x-hub-signature-256': signature } : {}) }), status: 401 };
  });

const mustBeRefused: fc.Arbitrary<Expected> = fc.oneof(
  { arbitrary: badSignature, weight: 2 },
  { arbitrary: fc.tuple(acceptedEnvelope, fc.constantFrom(...WRONG_CONTENT_TYPES)).map(([{ tree }, type]) => ({ post: signed(`content type ${String(type)}`, toText(tree), { type }), status: 415 })), weight: 1 },
  { arbitrary: nonJsonBody(acceptedEnvelope.map(({ tree }) => toText(tree))).map((body) => ({ post: signed('not JSON', body), status: 400 })), weight: 2 },
  { arbitrary: brokenEnvelope.map((tree) => ({ post: signed('no envelope', toText(tree)), status: 400 })), weight: 3 },
  { arbitrary: ignoredEnvelope.map((tree) => ({ post: signed('nothing for the bot', toText(tree)), status: 200 })), weight: 3 },
);

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/** The app is fine: no crash, no error logged, and a normal message is still handled. */
async function expectHealthy(): Promise<void> {
  const id = `wamid.healthy${Date.now()}`;
  const body = toText(envelope([fromJs({ field: 'messages', value: { messaging_product: 'whatsapp', messages: [{ id, timestamp: String(now()), type: 'text', from_user_id: 'ID.100000000000000777', text: { body: 'halo' } }] } }) as Obj], []));
  const { res, writes } = await rig.observe(() => send(rig, signed('a normal message', body)));
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ received: 1 });
  expect(writes.map((w) => w.event)).toContain('xadd');
  expectNoHarm(rig);
}

describe('POST /webhooks/whatsapp under fuzzing', () => {
  it('refuses bad signatures, types, bodies and envelopes, ignores what is not for the bot, and stores nothing (1,000 cases)', async () => {
    await expectKeyspaceUnchanged(rig, () => fuzz('whatsapp, refused or ignored', mustBeRefused, 1000, async ({ post: p, status }) => {
      const { res, writes } = await rig.observe(() => send(rig, p));
      if (status === 200) {
        expect(res.statusCode, `${p.label}: ${res.body.slice(0, 300)}`).toBe(200);
        expect(res.json(), p.label).toEqual({ received: 0 });
      } else {
        expectRefusal(res, status, p.label);
      }
      expect(rig.junk(writes), `${p.label}: nothing stored`).toEqual([]);
    }, 11));
    await expectHealthy();
  }, PROPERTY_TIMEOUT_MS);

  it('handles a message whose change carries an odd contact (found by fuzzing: the whole change was dropped)', async () => {
    // Before the fix, `contacts` was checked as a whole: one contact of another shape made the
    // change unreadable, its messages were dropped, and Meta, answered 200, never sent them again.
    const id = `wamid.oddcontact${Date.now()}`;
    const body = toText(envelope([fromJs({ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '6281110002000', phone_number_id: WHATSAPP.phoneNumberId },
      contacts: [{ profile: { name: 'Siti' }, user_id: 'ID.100000000000000778' }, 7, { wa_id: null }],
      messages: [{ id, timestamp: String(now()), type: 'text', from_user_id: 'ID.100000000000000778', text: { body: 'tolong' } }],
    } }) as Obj], []));
    const { res, writes } = await rig.observe(() => send(rig, signed('an odd contact', body)));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: 1 });
    expect(writes.map((w) => w.event)).toContain('xadd');
  });

  it('refuses a signed body that is not UTF-8 with 400 and stores nothing (found by fuzzing: bad bytes were read as U+FFFD)', async () => {
    const [head, tail] = toText(envelope([fromJs({ field: 'messages', value: { messaging_product: 'whatsapp', messages: [{ id: 'wamid.utf8', timestamp: String(now()), type: 'text', from_user_id: 'ID.100000000000000780', text: { body: 'hal@o' } }] } }) as Obj], [])).split('@');
    const body = Buffer.concat([Buffer.from(head ?? ''), Buffer.from([0xc0, 0x80]), Buffer.from(tail ?? '')]);
    const { res, writes } = await rig.observe(() => send(rig, signed('not UTF-8', body)));
    expectRefusal(res, 400, 'not UTF-8');
    expect(rig.junk(writes)).toEqual([]);
  });

  describe('bodies near the 1 MiB limit', () => {
    let n = 0;
    const oneMessage = (extra: Array<[string, J]>, text = 'halo', id = `wamid.big${Date.now()}.${++n}`): string =>
      toText(envelope([fromJs({ field: 'messages', value: new Obj([['messaging_product', 'whatsapp'], ['messages', [new Obj([...(fromJs({ id, timestamp: String(now()), type: 'text', from_user_id: 'ID.100000000000000779', text: { body: text } }) as Obj).entries, ...extra])]]]) }) as Obj], []));

    it('refuses a signed body one byte over the limit with 413, and stores nothing', async () => {
      const padding = 1024 * 1024 + 1 - Buffer.byteLength(oneMessage([['padding', '']], 'halo', 'wamid.big'));
      const body = oneMessage([['padding', 'x'.repeat(padding)]], 'halo', 'wamid.big');
      expect(Buffer.byteLength(body)).toBe(1024 * 1024 + 1);
      const { res, writes } = await rig.observe(() => send(rig, signed('over the limit', body)));
      expectRefusal(res, 413, 'over the limit');
      expect(rig.junk(writes)).toEqual([]);
    });

    it('refuses 500,000 levels of nesting (a signed megabyte) with 400, and stores nothing', async () => {
      const body = `${'['.repeat(500_000)}${']'.repeat(500_000)}`;
      const { res, writes } = await rig.observe(() => send(rig, signed('deep', body)));
      expectRefusal(res, 400, 'deep');
      expect(rig.junk(writes)).toEqual([]);
    });

    it('handles a message that carries 400,000 levels of nesting in an unknown field', async () => {
      const deep = new Raw(`${'{"a":'.repeat(100_000)}${'['.repeat(100_000)}1${']'.repeat(100_000)}${'}'.repeat(100_000)}`);
      const { res, writes } = await rig.observe(() => send(rig, signed('deep inside', oneMessage([['context', deep]]))));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ received: 1 });
      expect(writes.map((w) => w.event)).toContain('xadd');
    });

    it('handles a text of a million characters', async () => {
      const { res } = await rig.observe(() => send(rig, signed('a long text', oneMessage([], `Kerja di Kamboja, gaji 15jt. ${'a'.repeat(1_000_000)}`))));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ received: 1 });
    });
  });

  it('handles every readable message among odd ones: 200 with their number (300 cases)', async () => {
    await fuzz('whatsapp, readable messages', acceptedEnvelope, 300, async ({ tree, k }) => {
      const res = await send(rig, signed('readable messages', toText(tree)));
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      expect(res.json()).toEqual({ received: k });
    }, 12);
    await expectHealthy();
  }, PROPERTY_TIMEOUT_MS);

  it('answers mutated webhooks with 200 or 400; a 400 or "received 0" stores nothing (300 cases)', async () => {
    await fuzz('whatsapp, mutated', fc.tuple(acceptedEnvelope, mutations(SIZES)), 300, async ([{ tree }, ms]) => {
      const body = toText(ms.reduce<J>(mutate, tree));
      const { res, writes } = await rig.observe(() => send(rig, signed('mutated', body)));
      expect([200, 400], res.body.slice(0, 300)).toContain(res.statusCode);
      if (res.statusCode === 400) expectRefusal(res, 400, 'mutated');
      const received = res.statusCode === 200 ? res.json<{ received: number }>().received : 0;
      expect(Number.isInteger(received) && received >= 0).toBe(true);
      if (received === 0) expect(rig.junk(writes), 'nothing handled, nothing stored').toEqual([]);
    }, 13);
    await expectHealthy();
  }, PROPERTY_TIMEOUT_MS);
});
