// Proves the fake Graph API itself: it accepts what Meta accepts, rejects what Meta rejects with
// Meta's codes and bodies, injects failures on demand, and records. The channel tests trust it.
import { GraphApiError, WhatsAppClient } from '@kapso/whatsapp-cloud-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GRAPH_LIMITS, startFakeGraphApi, type FakeGraphApi, type FailureKind, type GraphErrorBody } from './fakeGraphApi.js';

const TOKEN = 'test-token';
const PHONE_NUMBER_ID = '106540352242922';
const PHONE = '6281234567890';
const BSUID = 'ID.1349120865530274191';

let fake: FakeGraphApi;

beforeAll(async () => {
  fake = await startFakeGraphApi({ token: TOKEN, phoneNumberId: PHONE_NUMBER_ID });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

/** Posts a body the way the channel's client would, and returns status and parsed JSON. */
async function post(body: unknown, init: { token?: string | null; path?: string; raw?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const token = init.token === undefined ? TOKEN : init.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${fake.url}${init.path ?? `/v26.0/${PHONE_NUMBER_ID}/messages`}`, {
    method: 'POST',
    headers,
    body: init.raw ?? JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const s = (n: number, ch = 'a') => ch.repeat(n);

const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: PHONE } as const;

const text = (body: string) => ({ ...base, type: 'text', text: { body } });

function buttons(list: Array<{ id: string; title: string }>, extra: Record<string, unknown> = {}) {
  return {
    ...base,
    type: 'interactive',
    interactive: {
      type: 'button',
      body: { text: 'Ke negara mana Anda akan berangkat?' },
      action: { buttons: list.map((reply) => ({ type: 'reply', reply })) },
      ...extra,
    },
  };
}

const threeButtons = [
  { id: 'a', title: 'Satu' },
  { id: 'b', title: 'Dua' },
  { id: 'c', title: 'Tiga' },
];

type Row = { id: string; title: string; description?: string };
type Section = { title?: string; rows: Row[] };

function list(sections: Section[], extra: Record<string, unknown> = {}, button = 'Pilih') {
  return {
    ...base,
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: 'Pekerjaan apa yang ditawarkan?' },
      action: { button, sections },
      ...extra,
    },
  };
}

const rows = (n: number, prefix = 'r'): Row[] => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, title: `Pilihan ${i}` }));

describe('accepts what Meta accepts', () => {
  it('answers a text to a phone number like Meta, and records it', async () => {
    const { status, json } = await post(text('halo'));
    expect(status).toBe(200);
    expect(json.messaging_product).toBe('whatsapp');
    expect(json.contacts).toEqual([{ input: PHONE, wa_id: PHONE }]);
    const messages = json.messages as Array<{ id: string }>;
    expect(messages).toHaveLength(1);
    expect(messages[0]?.id).toMatch(/^wamid\./);
    expect(fake.sent).toEqual([text('halo')]);
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: `/v26.0/${PHONE_NUMBER_ID}/messages`,
      outcome: { kind: 'accepted', httpStatus: 200, messageId: messages[0]?.id },
    });
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('answers a BSUID-only send with user_id and no wa_id', async () => {
    const { status, json } = await post({ messaging_product: 'whatsapp', recipient: BSUID, type: 'text', text: { body: 'halo' } });
    expect(status).toBe(200);
    expect(json.contacts).toEqual([{ input: BSUID, user_id: BSUID }]);
    expect(fake.textsTo(BSUID)).toEqual(['halo']);
  });

  it('lets `to` win when both to and recipient are given, as Meta does', async () => {
    const { json } = await post({ ...text('halo'), to: '+62 812-3456-7890', recipient: BSUID });
    expect(json.contacts).toEqual([{ input: '+62 812-3456-7890', wa_id: PHONE }]);
    // The person is found by either identifier, and phones are compared as digits.
    expect(fake.textsTo(PHONE)).toEqual(['halo']);
    expect(fake.textsTo(BSUID)).toEqual(['halo']);
  });

  it('accepts reply buttons exactly at every limit', async () => {
    const body = buttons(
      [
        { id: s(GRAPH_LIMITS.buttonId, 'x'), title: s(GRAPH_LIMITS.buttonTitle) },
        { id: 'b', title: s(GRAPH_LIMITS.buttonTitle, 'b') },
        { id: 'c', title: 'Tidak tahu' },
      ],
      {
        header: { type: 'text', text: s(GRAPH_LIMITS.headerText) },
        body: { text: s(GRAPH_LIMITS.interactiveBody) },
        footer: { text: s(GRAPH_LIMITS.footerText) },
      },
    );
    expect((await post(body)).status).toBe(200);
  });

  it('counts characters, not UTF-16 units: 20 emoji make a valid title', async () => {
    expect((await post(buttons([{ id: 'a', title: '🇮🇩'.repeat(10) }]))).status).toBe(200);
    expect((await post(buttons([{ id: 'a', title: '😀'.repeat(20) }]))).status).toBe(200);
  });

  it('accepts a list exactly at every limit: 10 rows across titled sections', async () => {
    const body = list(
      [
        {
          title: s(GRAPH_LIMITS.sectionTitle),
          rows: [
            { id: s(GRAPH_LIMITS.rowId, 'i'), title: s(GRAPH_LIMITS.rowTitle), description: s(GRAPH_LIMITS.rowDescription) },
            ...rows(4, 'a'),
          ],
        },
        { title: 'Lainnya', rows: rows(5, 'b') },
      ],
      { header: { type: 'text', text: 'Pekerjaan' }, body: { text: s(GRAPH_LIMITS.interactiveBody) }, footer: { text: 'Waspada' } },
      s(GRAPH_LIMITS.listButton),
    );
    expect((await post(body)).status).toBe(200);
    // A single section may go untitled.
    expect((await post(list([{ rows: rows(10) }]))).status).toBe(200);
  });

  it('accepts a template and marks it accepted, as Meta does for templates', async () => {
    const { status, json } = await post({ ...base, type: 'template', template: { name: 'kembali_hubungi', language: { code: 'id' } } });
    expect(status).toBe(200);
    expect((json.messages as Array<Record<string, unknown>>)[0]?.message_status).toBe('accepted');
  });

  it('shows what a person reads, in order, for texts and interactive bodies', async () => {
    await post(text('satu'));
    await post(buttons(threeButtons));
    await post(list([{ rows: rows(4) }]));
    await post({ ...text('untuk orang lain'), to: '6289999999999' });
    expect(fake.textsTo(PHONE)).toEqual(['satu', 'Ke negara mana Anda akan berangkat?', 'Pekerjaan apa yang ditawarkan?']);
    expect(fake.messagesTo(PHONE)).toHaveLength(3);
    expect(fake.sentWithIds.map((m) => m.id)).toEqual(fake.requests.map((r) => (r.outcome.kind === 'accepted' ? r.outcome.messageId : '')));
    expect(new Set(fake.sentWithIds.map((m) => m.id)).size).toBe(4);
  });
});

describe('rejects what Meta rejects, with HTTP 400 and a Meta-style error', () => {
  const twoSections = (first: Section, second: Section) => list([first, second]);

  const cases: Array<[string, unknown, 100 | 131009, RegExp?]> = [
    ['an empty text body', text(''), 100, /text\['body'\] is required/],
    ['a text body over 4096', text(s(GRAPH_LIMITS.textBody + 1)), 100, /at most 4096 characters/],
    ['buttons: none', buttons([]), 131009, /Invalid buttons count/],
    ['buttons: four', buttons([...threeButtons, { id: 'd', title: 'Empat' }]), 131009, /Max allowed buttons: 3/],
    ['a button title over 20', buttons([{ id: 'a', title: s(21) }]), 131009, /Button title length invalid/],
    ['an empty button title', buttons([{ id: 'a', title: '' }]), 131009, /Button title length invalid/],
    ['a button id over 256', buttons([{ id: s(257), title: 'Ya' }]), 131009, /Button ID length invalid/],
    ['duplicate button ids', buttons([{ id: 'a', title: 'Ya' }, { id: 'a', title: 'Tidak' }]), 131009, /Duplicate button id/],
    ['duplicate button titles', buttons([{ id: 'a', title: 'Ya' }, { id: 'b', title: 'Ya' }]), 131009, /Duplicate button title/],
    [
      'a list with 11 rows across sections',
      twoSections({ title: 'A', rows: rows(6, 'a') }, { title: 'B', rows: rows(5, 'b') }),
      131009,
      /Total row count exceed max allowed count: 10/,
    ],
    ['a list with 11 sections', list(Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, rows: rows(1, `s${i}-`) }))), 131009, /sections/],
    ['a row title over 24', list([{ rows: [{ id: 'a', title: s(25) }] }]), 131009, /Row title length invalid/],
    ['a row description over 72', list([{ rows: [{ id: 'a', title: 'A', description: s(73) }] }]), 131009, /Row description length invalid/],
    ['a row id over 200', list([{ rows: [{ id: s(201), title: 'A' }] }]), 131009, /Row ID length invalid/],
    ['duplicate row ids', list([{ rows: [{ id: 'a', title: 'A' }, { id: 'a', title: 'B' }] }]), 131009, /Duplicate row id/],
    ['a section title over 24', list([{ title: s(25), rows: rows(2) }]), 131009, /Section title length invalid/],
    ['an untitled section among several', twoSections({ title: 'A', rows: rows(2, 'a') }, { rows: rows(2, 'b') }), 131009, /Section title/],
    ['a list button text over 20', list([{ rows: rows(2) }], {}, s(21)), 131009, /Button text length invalid/],
    ['an empty list button text', list([{ rows: rows(2) }], {}, ''), 131009, /Button text length invalid/],
    ['an interactive body over 1024 (buttons)', buttons(threeButtons, { body: { text: s(1025) } }), 131009, /Body text length invalid/],
    ['an interactive body over 1024 (list)', list([{ rows: rows(2) }], { body: { text: s(1025) } }), 131009, /Max length: 1024/],
    ['an empty interactive body', buttons(threeButtons, { body: { text: '' } }), 100, /interactive\['body'\]\['text'\] is required/],
    ['a header over 60', buttons(threeButtons, { header: { type: 'text', text: s(61) } }), 131009, /Header text length invalid/],
    ['a footer over 60', list([{ rows: rows(2) }], { footer: { text: s(61) } }), 131009, /Footer text length invalid/],
    ['neither to nor recipient', { messaging_product: 'whatsapp', type: 'text', text: { body: 'halo' } }, 100, /to is required/],
    ['an unknown type', { ...base, type: 'hologram', hologram: {} }, 100, /Param type must be one of/],
    ['a missing messaging_product', { to: PHONE, type: 'text', text: { body: 'halo' } }, 100, /messaging_product/],
  ];

  it.each(cases)('%s', async (_name, body, code, pattern) => {
    const { status, json } = await post(body);
    expect(status).toBe(400);
    const { error } = json as unknown as GraphErrorBody;
    expect(error.code).toBe(code);
    expect(error.type).toBe('OAuthException');
    expect(error.fbtrace_id).toEqual(expect.any(String));
    expect(error.message).toMatch(code === 100 ? /^\(#100\) / : /^\(#131009\) Parameter value is not valid$/);
    if (code === 131009) expect(error.error_data?.messaging_product).toBe('whatsapp');
    const explanation = `${error.message} ${error.error_data?.details ?? ''}`;
    if (pattern) expect(explanation).toMatch(pattern);
    expect(fake.sent).toEqual([]);
    expect(fake.requests[0]?.outcome).toMatchObject({ kind: 'rejected', httpStatus: 400, code });
  });

  it('rejects a body that is not JSON', async () => {
    const { status, json } = await post(undefined, { raw: '{not json' });
    expect(status).toBe(400);
    expect((json as unknown as GraphErrorBody).error.code).toBe(100);
    expect(fake.requests[0]?.rawBody).toBe('{not json');
  });
});

describe('authentication and routing', () => {
  it('answers 401 with OAuth code 190 for a wrong or missing token, and sends nothing', async () => {
    for (const token of ['wrong', null]) {
      const { status, json } = await post(text('halo'), { token });
      expect(status).toBe(401);
      expect(json).toMatchObject({ error: { type: 'OAuthException', code: 190 } });
    }
    expect(fake.sent).toEqual([]);
    expect(fake.requests.map((r) => r.outcome.kind)).toEqual(['rejected', 'rejected']);
  });

  it('rejects an unknown phone number id the way Graph does (code 100, subcode 33)', async () => {
    const { status, json } = await post(text('halo'), { path: '/v26.0/999/messages' });
    expect(status).toBe(400);
    expect(json).toMatchObject({ error: { code: 100, error_subcode: 33 } });
  });

  it('accepts any Graph version in the path', async () => {
    expect((await post(text('halo'), { path: `/v23.0/${PHONE_NUMBER_ID}/messages` })).status).toBe(200);
  });
});

describe('failure injection', () => {
  const expected: Array<[Exclude<FailureKind, 'network'>, number, number]> = [
    ['rate-limit', 400, 130429],
    ['pair-rate-limit', 400, 131056],
    ['server', 500, 131000],
    ['unavailable', 503, 2],
    ['outside-window', 400, 131047],
    ['ecosystem', 400, 131049],
  ];

  it.each(expected)('%s answers HTTP %i with code %i, then normal behaviour resumes', async (kind, httpStatus, code) => {
    fake.failNext(2, kind);
    for (let i = 0; i < 2; i += 1) {
      const { status, json } = await post(text('halo'));
      expect(status).toBe(httpStatus);
      expect((json as unknown as GraphErrorBody).error.code).toBe(code);
    }
    expect((await post(text('halo'))).status).toBe(200);
    expect(fake.sent).toHaveLength(1);
    expect(fake.requests.map((r) => r.outcome)).toMatchObject([
      { kind: 'rejected', code, injected: kind },
      { kind: 'rejected', code, injected: kind },
      { kind: 'accepted' },
    ]);
  });

  it('fails even a request that would otherwise be invalid (throttling comes first)', async () => {
    fake.failNext(1, 'rate-limit');
    expect((await post(text(''))).json).toMatchObject({ error: { code: 130429 } });
  });

  it('can answer throttling with another HTTP status, for channels that must not depend on it', async () => {
    fake.failNext(1, 'pair-rate-limit', { httpStatus: 429 });
    const { status, json } = await post(text('halo'));
    expect(status).toBe(429);
    expect(json).toMatchObject({ error: { code: 131056, error_data: { messaging_product: 'whatsapp' } } });
  });

  it('chains different failures in order', async () => {
    fake.failNext(1, 'server');
    fake.failNext(1, 'outside-window');
    expect((await post(text('a'))).status).toBe(500);
    expect((await post(text('b'))).json).toMatchObject({ error: { code: 131047 } });
    expect((await post(text('c'))).status).toBe(200);
  });

  it('network drops the connection without an answer, and records the attempt', async () => {
    fake.failNext(1, 'network');
    await expect(post(text('halo'))).rejects.toThrow();
    expect(fake.requests[0]).toMatchObject({ outcome: { kind: 'dropped', injected: 'network' }, body: text('halo') });
    expect((await post(text('halo'))).status).toBe(200);
  });

  it('reset forgets requests, sent messages and pending failures', async () => {
    await post(text('halo'));
    fake.failNext(3, 'server');
    fake.reset();
    expect(fake.requests).toEqual([]);
    expect(fake.sent).toEqual([]);
    expect((await post(text('halo'))).status).toBe(200);
  });
});

describe('works with the client the channel uses (@kapso/whatsapp-cloud-api)', () => {
  const client = () => new WhatsAppClient({ accessToken: TOKEN, baseUrl: fake.url, graphVersion: 'v26.0' });

  it('receives the client’s text, buttons and list sends', async () => {
    const wa = client();
    const sent = await wa.messages.sendText({ phoneNumberId: PHONE_NUMBER_ID, to: PHONE, body: 'halo' });
    expect(sent.messages[0]?.id).toMatch(/^wamid\./);
    await wa.messages.sendInteractiveButtons({ phoneNumberId: PHONE_NUMBER_ID, recipient: BSUID, bodyText: 'Lanjut?', buttons: threeButtons });
    await wa.messages.sendInteractiveList({
      phoneNumberId: PHONE_NUMBER_ID,
      to: PHONE,
      bodyText: 'Pilih pekerjaan',
      buttonText: 'Pilih',
      sections: [{ title: 'Pekerjaan', rows: rows(3) }],
    });
    expect(fake.requests.map((r) => r.path)).toEqual(Array(3).fill(`/v26.0/${PHONE_NUMBER_ID}/messages`));
    expect(fake.sent.map((b) => b.type)).toEqual(['text', 'interactive', 'interactive']);
    expect(fake.textsTo(BSUID)).toEqual(['Lanjut?']);
  });

  it('turns the fake’s errors into the client’s typed errors', async () => {
    const wa = client();
    fake.failNext(1, 'rate-limit');
    const error = await wa.messages.sendText({ phoneNumberId: PHONE_NUMBER_ID, to: PHONE, body: 'halo' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphApiError);
    expect(error).toMatchObject({ code: 130429, category: 'throttling', httpStatus: 400 });

    fake.failNext(1, 'outside-window');
    const window = await wa.messages.sendText({ phoneNumberId: PHONE_NUMBER_ID, to: PHONE, body: 'halo' }).catch((e: unknown) => e);
    expect(window).toMatchObject({ code: 131047, retry: { action: 'do_not_retry' } });
  });

  it('catches a list body the client lets through but Meta refuses (over 1024)', async () => {
    // The client's own schema allows a list body up to 4096; Meta does not.
    const error = await client()
      .messages.sendInteractiveList({
        phoneNumberId: PHONE_NUMBER_ID,
        to: PHONE,
        bodyText: s(1025),
        buttonText: 'Pilih',
        sections: [{ rows: rows(2) }],
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 131009, httpStatus: 400 });
  });
});

describe('the 24-hour window and approved templates', () => {
  it('refuses free-form messages to a person whose window closed with 131047, and lets templates through', async () => {
    fake.closeWindow(BSUID);
    const refused = await post({ ...text('halo'), to: undefined, recipient: BSUID });
    expect(refused.status).toBe(400);
    expect((refused.json as unknown as GraphErrorBody).error).toMatchObject({ code: 131047, error_data: { details: expect.stringMatching(/24 hours/) } });
    expect((await post(text('untuk orang lain'))).status).toBe(200);
    expect((await post({ ...base, to: undefined, recipient: BSUID, type: 'template', template: { name: 'kembali_hubungi', language: { code: 'id' } } })).status).toBe(200);
    fake.openWindow(BSUID);
    expect((await post({ ...text('halo'), to: undefined, recipient: BSUID })).status).toBe(200);
  });

  it('refuses a template that is not approved in that language with 132001', async () => {
    const strict = await startFakeGraphApi({ token: TOKEN, templates: [{ name: 'kembali_hubungi', language: 'id' }] });
    try {
      const send = (name: string, code: string) =>
        fetch(`${strict.url}/v26.0/${PHONE_NUMBER_ID}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify({ ...base, type: 'template', template: { name, language: { code } } }),
        });
      expect((await send('kembali_hubungi', 'id')).status).toBe(200);
      const wrong = await send('kembali_hubungi', 'en');
      expect(wrong.status).toBe(404);
      expect(((await wrong.json()) as GraphErrorBody).error).toMatchObject({ code: 132001, error_data: { details: 'template name (kembali_hubungi) does not exist in en' } });
    } finally {
      await strict.close();
    }
  });
});
