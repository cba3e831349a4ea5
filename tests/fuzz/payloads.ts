/**
 * Hostile JSON for the fuzz tests, written as text by hand: JSON.stringify cannot write `-0`,
 * `1e309`, a 400-digit number, a repeated key or an own `__proto__` key, and it recurses, so it
 * could not write the thousands of levels of nesting a parser must survive either.
 *
 * A payload is a tree of {@link J}: plain values, arrays, {@link Obj} (entries, so keys may
 * repeat and `__proto__` stays an ordinary key) and {@link Raw} pieces of text. Mutations pick a
 * node of a valid payload and break it; byte mutations then damage the text itself.
 */
import fc from 'fast-check';

/** A piece of JSON text written as is. */
export class Raw {
  constructor(readonly text: string) {}
}

/** A JSON object as its entries, in order; keys may repeat. */
export class Obj {
  constructor(readonly entries: Array<[string, J]>) {}
}

export type J = null | boolean | number | string | Raw | Obj | J[];

/** A plain JSON-like JS value as a tree (objects keep their key order). */
export function fromJs(value: unknown): J {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  if (value instanceof Raw || value instanceof Obj) return value;
  if (Array.isArray(value)) return value.map(fromJs);
  if (typeof value === 'object') return new Obj(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).map(([k, v]) => [k, fromJs(v)]));
  throw new TypeError(`not JSON: ${typeof value}`);
}

/** The JSON text of a tree. Strings are escaped as JSON.stringify does (lone surrogates as `\ud800`). */
export function toText(value: J): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Obj) return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toText(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(toText).join(',')}]`;
  return JSON.stringify(value);
}

/** The value of key `key` in an object tree (the last one, as JSON.parse keeps). */
export function get(value: J, key: string): J | undefined {
  return value instanceof Obj ? value.entries.findLast(([k]) => k === key)?.[1] : undefined;
}

/** A copy of an object tree with `key` set to `v` (replaced in place, or added at the end); `undefined` removes it. */
export function set(value: Obj, key: string, v: J | undefined): Obj {
  const has = value.entries.some(([k]) => k === key);
  if (v === undefined) return new Obj(value.entries.filter(([k]) => k !== key));
  return new Obj(has ? value.entries.map(([k, old]) => [k, k === key ? v : old]) : [...value.entries, [key, v]]);
}

// ---------------------------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------------------------

/** Number literals at the edges: negative zero, overflow to Infinity, underflow to 0, past 2^53 and 2^64, 400 digits. */
export const EDGE_NUMBERS = [
  '-0', '0', '-1', '1.5', '-0.0', '1E2', '1e308', '-1e308', '1e309', '-1e309', '1e-400', '-1e-400', '2147483648', '-2147483649', '4294967296',
  '9007199254740993', '-9007199254740993', '18446744073709551616', '123456789012345678901234567890', `1${'0'.repeat(400)}`, `0.${'0'.repeat(400)}1`,
] as const;

/** Strings that have broken parsers and keys elsewhere: lone surrogates, a BOM, direction marks, NUL, hash-tag braces, separators, number look-alikes. */
export const EDGE_STRINGS = [
  '', ' ', '\u0000', '\ud800', '\udfff', '\ud83d', 'a\udc00b', '\uffff', '\ufeff', '\u202e', '\u200b', '\u2028', '\t\n\r', '0', '-0', '-1', '1e308',
  '99999999999999999999999999999999', 'NaN', 'Infinity', 'true', 'null', 'undefined', '__proto__', 'constructor', 'prototype', 'hasOwnProperty',
  'toString', '{}', '[]', '{s0}', '}{', ':', '|', '||', 'menu.choose|check', 'a|b|c', '%s%n%x', '${x}', '<script>alert(1)</script>', "'; DROP TABLE x; --",
  '../../etc/passwd', 'wsp:{s1}:outbox', '*', '\\', '"', 'whatsapp_business_account', 'messages', 'private', 'text', '🙏', '👨‍👩‍👧‍👦', 'é', 'e\u0301',
] as const;

/** Keys that have polluted prototypes elsewhere, and Object.prototype's own names. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', 'isPrototypeOf'] as const;

/** Deeply nested arrays or objects (1,000 to `max` levels), as text: no recursion writes them. */
export function deepNesting(max: number): fc.Arbitrary<Raw> {
  return fc.tuple(fc.integer({ min: 1000, max }), fc.constantFrom('array', 'object', 'mixed')).map(([n, kind]) => {
    if (kind === 'array') return new Raw(`${'['.repeat(n)}${']'.repeat(n)}`);
    if (kind === 'object') return new Raw(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`);
    return new Raw(`${'[{"a":'.repeat(n / 2)}null${'}]'.repeat(n / 2)}`);
  });
}

/** Long strings: one character repeated, or a random text, up to `max` characters. */
export function longString(max: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.tuple(fc.constantFrom('a', ' ', '9', '\u0000', '\ud800', '🙏', 'é', '"', '\\', '\n'), fc.integer({ min: 1, max })).map(([c, n]) => c.repeat(Math.max(1, Math.floor(n / c.length)))),
    fc.string({ unit: 'binary', minLength: 100, maxLength: Math.min(max, 5000) }),
  );
}

/** Sizes for one endpoint: its body limit bounds the long strings and the nesting. */
export interface Sizes {
  longString: number;
  nesting: number;
}

/** A hostile leaf of any type: edge numbers and strings, random strings, long strings, deep nesting. */
export function hostileLeaf(s: Sizes): fc.Arbitrary<J> {
  return fc.oneof(
    { arbitrary: fc.constantFrom<J>(null, true, false, 0, -1, 1.5, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE), weight: 2 },
    { arbitrary: fc.constantFrom(...EDGE_NUMBERS).map((n) => new Raw(n)), weight: 3 },
    { arbitrary: fc.constantFrom(...EDGE_STRINGS), weight: 3 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
    { arbitrary: fc.double(), weight: 1 },
    { arbitrary: longString(s.longString), weight: 1 },
    { arbitrary: deepNesting(s.nesting), weight: 1 },
  );
}

/** An object whose keys pollute prototypes elsewhere. */
export function protoObject(leaf: fc.Arbitrary<J>): fc.Arbitrary<Obj> {
  return fc.tuple(fc.constantFrom(...PROTO_KEYS), leaf).map(
    ([key, v]) => new Obj([[key, key === 'constructor' ? new Obj([['prototype', new Obj([['polluted', v]])]]) : new Obj([['polluted', v]])]]),
  );
}

/**
 * Any hostile value: a leaf, or small arrays and objects of them, with prototype keys among the
 * keys. `poison: false` leaves out `__proto__` and `constructor`, which Fastify's JSON parser
 * refuses (for a value that must get past it).
 */
export function hostile(s: Sizes, poison = true): fc.Arbitrary<J> {
  const leaf = hostileLeaf(s);
  const protoKeys = poison ? PROTO_KEYS : PROTO_KEYS.filter((k) => k !== '__proto__' && k !== 'constructor');
  const key = fc.oneof(fc.constantFrom(...protoKeys, ...EDGE_STRINGS.filter((k) => poison || (k !== '__proto__' && k !== 'constructor'))), fc.string({ unit: 'binary', maxLength: 12 }));
  const { tree } = fc.letrec<{ tree: J }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { arbitrary: leaf, weight: 4 },
      { arbitrary: fc.array(tie('tree'), { maxLength: 4 }), weight: 1 },
      { arbitrary: fc.array(fc.tuple(key, tie('tree')), { maxLength: 4 }).map((entries) => new Obj(entries)), weight: 1 },
      { arbitrary: poison ? protoObject(leaf) : fc.constant(new Obj([['polluted', true]])), weight: 1 },
    ),
  }));
  return tree;
}

/** Hostile values that are not strings (for a field that must be one). */
export const notString = (s: Sizes): fc.Arbitrary<J> => hostile(s).filter((v) => typeof v !== 'string' && !(v instanceof Raw && v.text.startsWith('"')));
/** Hostile values that are not arrays. */
export const notArray = (s: Sizes): fc.Arbitrary<J> => hostile(s).filter((v) => !Array.isArray(v) && !(v instanceof Raw && v.text.startsWith('[')));
/** Hostile values that are not objects. */
export const notObject = (s: Sizes): fc.Arbitrary<J> => hostile(s).filter((v) => !(v instanceof Obj) && !(v instanceof Raw && v.text.startsWith('{')));
/** Hostile values that are not finite numbers once parsed (JSON.parse('1e309') is Infinity). */
export const notNumber = (s: Sizes): fc.Arbitrary<J> =>
  hostile(s).filter((v) => typeof v !== 'number' && !(v instanceof Raw && Number.isFinite(Number(v.text)) && /^-?\d/.test(v.text)));

// ---------------------------------------------------------------------------------------------
// Mutations of valid payloads
// ---------------------------------------------------------------------------------------------

/** One change to one node of a tree: the path picks the node (indices wrap), the op changes it. */
export interface Mutation {
  path: number[];
  op: { kind: 'delete' } | { kind: 'replace'; value: J } | { kind: 'add'; key: string; value: J } | { kind: 'repeat-key'; value: J } | { kind: 'wrap' } | { kind: 'as-string' } | { kind: 'emptied' };
}

/** Random mutations: wrong types, unknown and repeated keys, missing fields, arrays for objects, numbers as strings. */
export function mutations(s: Sizes): fc.Arbitrary<Mutation[]> {
  const value = hostile(s);
  const op: fc.Arbitrary<Mutation['op']> = fc.oneof(
    fc.constant({ kind: 'delete' as const }),
    value.map((v) => ({ kind: 'replace' as const, value: v })),
    fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS, ...EDGE_STRINGS), fc.string({ maxLength: 10 })), value).map(([key, v]) => ({ kind: 'add' as const, key, value: v })),
    value.map((v) => ({ kind: 'repeat-key' as const, value: v })),
    fc.constant({ kind: 'wrap' as const }),
    fc.constant({ kind: 'as-string' as const }),
    fc.constant({ kind: 'emptied' as const }),
  );
  return fc.array(fc.record({ path: fc.array(fc.nat(), { maxLength: 8 }), op }), { minLength: 1, maxLength: 4 });
}

/** Applies one mutation; the tree is copied along the path, never changed in place. */
export function mutate(tree: J, m: Mutation): J {
  const [i, ...rest] = m.path;
  const children = tree instanceof Obj ? tree.entries.length : Array.isArray(tree) ? tree.length : 0;
  if (i === undefined || children === 0) return applyOp(tree, m.op);
  const at = i % children;
  if (tree instanceof Obj) {
    const child = tree.entries[at] as [string, J];
    // Deleting or repeating a key acts on the parent, one step before the end of the path.
    if (rest.length === 0 && m.op.kind === 'delete') return new Obj(tree.entries.filter((_, j) => j !== at));
    if (rest.length === 0 && m.op.kind === 'repeat-key') return new Obj([...tree.entries, [child[0], m.op.value]]);
    return new Obj(tree.entries.map((e, j) => (j === at ? [e[0], mutate(e[1], { path: rest, op: m.op })] : e)));
  }
  const items = tree as J[];
  if (rest.length === 0 && m.op.kind === 'delete') return items.filter((_, j) => j !== at);
  return items.map((e, j) => (j === at ? mutate(e, { path: rest, op: m.op }) : e));
}

function applyOp(node: J, op: Mutation['op']): J {
  switch (op.kind) {
    case 'delete':
      return null;
    case 'replace':
      return op.value;
    case 'add':
      return node instanceof Obj ? new Obj([...node.entries, [op.key, op.value]]) : Array.isArray(node) ? [...node, op.value] : op.value;
    case 'repeat-key':
      return node instanceof Obj && node.entries.length > 0 ? new Obj([...node.entries, [(node.entries[0] as [string, J])[0], op.value]]) : op.value;
    case 'wrap':
      return [node];
    case 'as-string':
      return toText(node);
    case 'emptied':
      return node instanceof Obj ? new Obj([]) : Array.isArray(node) ? [] : typeof node === 'string' ? '' : node;
  }
}

// ---------------------------------------------------------------------------------------------
// Bytes
// ---------------------------------------------------------------------------------------------

/** Byte sequences that are not UTF-8: a stray continuation byte, overlong and truncated forms, an encoded surrogate, past U+10FFFF. */
export const INVALID_UTF8: readonly number[][] = [[0xff], [0xfe], [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]];

/** Damage to a body's bytes: invalid UTF-8 inserted or written over it, or the body cut short. */
export interface ByteDamage {
  at: number;
  kind: 'insert' | 'overwrite' | 'truncate';
  bytes: number[];
}

export const byteDamage: fc.Arbitrary<ByteDamage> = fc.record({ at: fc.nat(), kind: fc.constantFrom('insert', 'overwrite', 'truncate'), bytes: fc.constantFrom(...INVALID_UTF8) });

/** Applies byte damage to a body. */
export function damage(body: Buffer, d: ByteDamage): Buffer {
  const at = body.length === 0 ? 0 : d.at % body.length;
  if (d.kind === 'truncate') return body.subarray(0, at);
  const bytes = Buffer.from(d.bytes);
  if (d.kind === 'insert') return Buffer.concat([body.subarray(0, at), bytes, body.subarray(at)]);
  return Buffer.concat([body.subarray(0, at), bytes, body.subarray(at + bytes.length)]);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * True when `body` is no JSON text: not UTF-8 (RFC 8259 §8.1: JSON exchanged between systems
 * must be UTF-8; a decoder that swaps bad bytes for U+FFFD would store what nobody sent), or not
 * JSON once decoded.
 */
export function notJson(body: Buffer | string): boolean {
  try {
    JSON.parse(typeof body === 'string' ? body : strictUtf8.decode(body));
    return false;
  } catch {
    return true;
  }
}

/** Bodies that are no JSON at all: empty, blank, random bytes, a truncated or garbled text, a form, XML. */
export function nonJsonBody(validText: fc.Arbitrary<string>): fc.Arbitrary<Buffer> {
  return fc
    .oneof(
      { arbitrary: fc.constantFrom('', ' ', '\n', '{', '}', '[', '{"a":}', '{"a" 1}', "{'a':1}", '{"a":1,}', '[1,]', 'NaN', 'undefined', '01', '--1', '"unterminated', '{"a":"\\x41"}', 'a=1&b=2', '<xml/>', '\u0000').map((s) => Buffer.from(s)), weight: 1 },
      { arbitrary: fc.uint8Array({ minLength: 1, maxLength: 2000 }).map((a) => Buffer.from(a)), weight: 1 },
      { arbitrary: fc.tuple(validText, fc.nat()).map(([t, n]) => Buffer.from(t.slice(0, n % Math.max(1, t.length)))), weight: 1 },
      // Often still JSON once bad bytes are read as U+FFFD: what a lenient decoder would let through.
      { arbitrary: fc.tuple(validText, byteDamage).map(([t, d]) => damage(Buffer.from(t), d)), weight: 3 },
    )
    .filter(notJson);
}

/** Content types the JSON routes must refuse (415), and a missing one (undefined). */
export const WRONG_CONTENT_TYPES = [
  undefined, '', 'text/plain', 'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/xml',
  'application/jsonp', 'application/json-patch+json', 'application/x-json', 'application/json; charset=latin1', 'application/json; charset=utf-16',
  'application/json, text/plain', '*/*', 'json', 'application/json; charset=utf-8; boundary=x',
] as const;

/** A printable summary of a body for a counterexample (the start and the length, not a megabyte). */
export function preview(body: Buffer | string): string {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  return text.length > 300 ? `${JSON.stringify(text.slice(0, 300))}… (${Buffer.byteLength(body)} bytes)` : JSON.stringify(text);
}
