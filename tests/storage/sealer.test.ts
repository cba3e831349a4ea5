import { describe, expect, it } from 'vitest';
import { createSealer, dataKey, decodeDataKey, ephemeralDataKey, openJson, SealError, sealJson, SEALED_VALUE, UnknownDataKeyError } from '../../src/storage/sealer.js';
import { pseudonymsFrom } from '../../src/storage/pseudonyms.js';

const A = ephemeralDataKey();
const B = ephemeralDataKey();

describe('sealer (AES-256-GCM under DATA_KEY)', () => {
  it('round-trips any text, with a fresh IV each time and the key id in the value', () => {
    const sealer = createSealer({ current: A });
    const text = 'Saya di Phnom Penh, paspor ditahan 🙏 +62 812-3456-7890';
    const one = sealer.seal(text);
    const two = sealer.seal(text);
    expect(one).not.toBe(two);
    expect(one).toMatch(new RegExp(`^wsp1\\.${A.id}\\.`));
    expect(one).not.toContain('Phnom');
    expect(sealer.open(one)).toBe(text);
    expect(sealer.isCurrent(one)).toBe(true);
    expect(one.match(SEALED_VALUE)).toEqual([one]);
  });

  it('refuses a changed value and a value under an unknown key', () => {
    const sealer = createSealer({ current: A });
    const sealed = sealer.seal('{"answers":{"job":"operator"}}');
    const flipped = sealed.slice(0, -3) + (sealed.at(-3) === 'A' ? 'B' : 'A') + sealed.slice(-2);
    expect(() => sealer.open(flipped)).toThrow(SealError);
    expect(() => createSealer({ current: B }).open(sealed)).toThrow(UnknownDataKeyError);
  });

  it('reads values under the previous key during a rotation and writes with the new one', () => {
    const old = createSealer({ current: A }).seal('cerita keluarga');
    const rotating = createSealer({ current: B, previous: A });
    expect(rotating.open(old)).toBe('cerita keluarga');
    expect(rotating.isCurrent(old)).toBe(false);
    expect(rotating.seal('x')).toMatch(new RegExp(`^wsp1\\.${B.id}\\.`));
  });

  it('refuses a value that was never sealed: only someone without the key writes one', () => {
    const sealer = createSealer({ current: A });
    expect(() => openJson(sealer, '{"kind":"message","to":"6281234567890"}')).toThrow(SealError);
    expect(() => openJson(sealer, '{"a":1}')).not.toThrow(UnknownDataKeyError);
    expect(openJson(sealer, sealJson(sealer, { a: 1 }))).toEqual({ a: 1 });
  });

  it('takes DATA_KEY as exactly 32 bytes of base64, and derives the same id for the same key', () => {
    const raw = Buffer.alloc(32, 3);
    expect(decodeDataKey(raw.toString('base64'))?.equals(raw)).toBe(true);
    expect(decodeDataKey(Buffer.alloc(16).toString('base64'))).toBeUndefined();
    expect(decodeDataKey('not base64!')).toBeUndefined();
    expect(dataKey(raw).id).toBe(dataKey(Buffer.from(raw)).id);
    expect(dataKey(raw).id).not.toBe(dataKey(Buffer.alloc(32, 4)).id);
    // The id says nothing about the key.
    expect(dataKey(raw).id).not.toContain(raw.toString('base64').slice(0, 8));
  });
});

describe('pseudonyms', () => {
  it('are stable under one secret, differ by domain and by secret, and never contain the identity', () => {
    const p = pseudonymsFrom(Buffer.alloc(32, 1));
    const q = pseudonymsFrom(Buffer.alloc(32, 2));
    const id = 'whatsapp:6281234567890';
    expect(p('person', id)).toBe(p('person', id));
    expect(p('person', id)).not.toBe(p('recruiter', id));
    expect(p('person', id)).not.toBe(q('person', id));
    expect(p('person', id)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(p('person', id)).not.toContain('6281234567890');
  });
});
