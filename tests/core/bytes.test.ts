import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ByteReader,
  ByteWriter,
  bytesEqual,
  concatBytes,
  DecodeError,
  decodeWith,
  fromHex,
  toHex,
} from '../../src/core/bytes.ts';

describe('hex', () => {
  it('encodes known bytes as lowercase hex', () => {
    expect(toHex(new Uint8Array(0))).toBe('');
    expect(toHex(Uint8Array.of(0, 1, 0x0f, 0x10, 0x7f, 0x80, 0xab, 0xff))).toBe('00010f107f80abff');
  });

  it('agrees with Buffer for random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(toHex(bytes)).toBe(Buffer.from(bytes).toString('hex'));
      }),
    );
  });

  it('round-trips bytes through hex', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const back = fromHex(toHex(bytes));
        expect(back).toEqual({ ok: true, value: bytes });
      }),
    );
  });

  it('round-trips hex text through bytes, lowercasing it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(?:[0-9a-fA-F]{2}){0,64}$/), (hex) => {
        const r = fromHex(hex);
        expect(r.ok).toBe(true);
        if (r.ok) expect(toHex(r.value)).toBe(hex.toLowerCase());
      }),
    );
  });

  it('checks the expected length in bytes', () => {
    expect(fromHex('abcd', 2)).toEqual({ ok: true, value: Uint8Array.of(0xab, 0xcd) });
    expect(fromHex('abcd', 3).ok).toBe(false);
    expect(fromHex('abcd', 1).ok).toBe(false);
    expect(fromHex('', 0)).toEqual({ ok: true, value: new Uint8Array(0) });
  });

  it.each([
    ['odd length', 'abc'],
    ['single digit', 'a'],
    ['0x prefix', '0xab'],
    ['leading space', ' abc'],
    ['trailing newline', 'ab\n'],
    ['inner space', 'ab cd'],
    ['letter past f', 'gg'],
    ['uppercase past F', 'GA'],
    ['minus sign', '-1'],
    ['plus sign', '+1'],
    ['colon (one past 9)', '0:'],
    ['slash (one before 0)', '/0'],
    ['backtick (one before a)', '`a'],
    ['at sign (one before A)', '@A'],
    ['full-width digit', '\uff10\uff11'],
    ['non-ASCII letter', 'a\u00e9'],
    ['NUL byte', '\u000000'],
  ])('rejects %s', (_name, text) => {
    const r = fromHex(text);
    expect(r.ok).toBe(false);
  });

  it('rejects any text holding a non-hex character', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9a-f]*$/),
        fc.string({ minLength: 1, maxLength: 1 }).filter((c) => !/[0-9a-fA-F]/.test(c)),
        fc.stringMatching(/^[0-9a-f]*$/),
        (before, bad, after) => {
          expect(fromHex(before + bad + after).ok).toBe(false);
        },
      ),
    );
  });
});

describe('concatBytes and bytesEqual', () => {
  it('concatenates in order', () => {
    expect(concatBytes()).toEqual(new Uint8Array(0));
    expect(concatBytes(Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3))).toEqual(
      Uint8Array.of(1, 2, 3),
    );
  });

  it('matches Buffer.concat', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }), (parts) => {
        expect(Buffer.from(concatBytes(...parts)).equals(Buffer.concat(parts))).toBe(true);
      }),
    );
  });

  it('compares contents and lengths', () => {
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).toBe(false);
    expect(bytesEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
    fc.assert(
      fc.property(fc.uint8Array(), fc.uint8Array(), (a, b) => {
        expect(bytesEqual(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
      }),
    );
  });
});

describe('ByteWriter', () => {
  it('writes fixed-width big-endian fields', () => {
    const bytes = new ByteWriter()
      .u8(0xab)
      .u32(0x01020304)
      .u64(0x1122334455667788n)
      .bytes(Uint8Array.of(9, 8))
      .varBytes(Uint8Array.of(7))
      .finish();
    expect(toHex(bytes)).toBe('ab' + '01020304' + '1122334455667788' + '0908' + '00000001' + '07');
  });

  it('grows past its initial buffer', () => {
    const w = new ByteWriter();
    for (let i = 0; i < 1000; i++) w.u32(i);
    const bytes = w.finish();
    expect(bytes.length).toBe(4000);
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(0)).toBe(0);
    expect(view.getUint32(4 * 999)).toBe(999);
    expect(view.getUint32(4 * 500)).toBe(500);
  });

  it('writes the extremes', () => {
    expect(toHex(new ByteWriter().u32(0).u32(0xffffffff).finish())).toBe('00000000ffffffff');
    expect(
      toHex(
        new ByteWriter()
          .u64(0n)
          .u64((1n << 64n) - 1n)
          .finish(),
      ),
    ).toBe('0000000000000000ffffffffffffffff');
  });

  it.each([-1, 0x1_0000_0000, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses %s as a u32',
    (v) => {
      expect(() => new ByteWriter().u32(v)).toThrow(RangeError);
    },
  );

  it.each([-1n, 1n << 64n])('refuses %s as a u64', (v) => {
    expect(() => new ByteWriter().u64(v)).toThrow(RangeError);
  });

  it('returns a copy that later writes do not change', () => {
    const w = new ByteWriter().u8(1);
    const first = w.finish();
    w.u8(2);
    expect(first).toEqual(Uint8Array.of(1));
    expect(w.finish()).toEqual(Uint8Array.of(1, 2));
  });
});

describe('ByteReader and decodeWith', () => {
  it('reads back what the writer wrote', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.uint8Array({ maxLength: 50 }),
        (a, b, c, d) => {
          const bytes = new ByteWriter().u8(a).u32(b).u64(c).varBytes(d).finish();
          const r = decodeWith(bytes, (reader) => ({
            a: reader.u8(),
            b: reader.u32(),
            c: reader.u64(),
            d: reader.varBytes(50),
          }));
          expect(r).toEqual({ ok: true, value: { a, b, c, d } });
        },
      ),
    );
  });

  it('honours the byteOffset of a subarray', () => {
    const backing = Uint8Array.of(0xff, 0xff, 0, 0, 0, 7, 0xff);
    const r = decodeWith(backing.subarray(2, 6), (reader) => reader.u32());
    expect(r).toEqual({ ok: true, value: 7 });
  });

  it('tracks its position and slices what it read', () => {
    const reader = new ByteReader(Uint8Array.of(1, 2, 3, 4, 5));
    reader.u8();
    const start = reader.position;
    reader.bytes(2);
    expect(reader.position).toBe(3);
    expect(reader.remaining).toBe(2);
    expect(reader.sliceFrom(start)).toEqual(Uint8Array.of(2, 3));
  });

  it.each([
    ['u8 past the end', new Uint8Array(0), (r: ByteReader) => r.u8()],
    ['u32 past the end', Uint8Array.of(1, 2, 3), (r: ByteReader) => r.u32()],
    ['u64 past the end', new Uint8Array(7), (r: ByteReader) => r.u64()],
    ['bytes past the end', new Uint8Array(3), (r: ByteReader) => r.bytes(4)],
    [
      'varBytes over its limit',
      Uint8Array.of(0, 0, 0, 3, 1, 2, 3),
      (r: ByteReader) => r.varBytes(2),
    ],
    [
      'varBytes shorter than declared',
      Uint8Array.of(0, 0, 0, 3, 1, 2),
      (r: ByteReader) => r.varBytes(9),
    ],
    ['trailing bytes', Uint8Array.of(0, 0, 0, 1, 9), (r: ByteReader) => r.u32()],
  ])('fails with a typed error on %s', (_name, bytes, read) => {
    const r = decodeWith<unknown>(bytes, read);
    expect(r.ok).toBe(false);
  });

  it('throws DecodeError directly from a reader', () => {
    expect(() => new ByteReader(new Uint8Array(1)).u32()).toThrow(DecodeError);
    const reader = new ByteReader(new Uint8Array(2));
    expect(() => {
      reader.end();
    }).toThrow(DecodeError);
  });

  it('does not swallow errors that are not DecodeErrors', () => {
    expect(() =>
      decodeWith(new Uint8Array(0), () => {
        throw new TypeError('a bug, not bad input');
      }),
    ).toThrow(TypeError);
  });
});
