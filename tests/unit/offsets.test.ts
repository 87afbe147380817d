import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { codePointLength, offsetConverter, sliceCodePoints } from '../../pipeline/text/offsets.js';

/** UTF-16 indices that start a code point (or end the text). */
function boundaries(text: string): number[] {
  const out: number[] = [];
  let u = 0;
  for (const ch of text) {
    out.push(u);
    u += ch.length;
  }
  out.push(u);
  return out;
}

describe('code point offsets', () => {
  it.each([
    ['plain Cyrillic text converts by identity', 'Рекомендовать органам управления', 0],
    ['an emoji before a recommendation', '📌 1. Обеспечить условия', 1],
    ['mathematical letters and a flag', '𝐑𝐄𝐙𝐎𝐋𝐘𝐂𝐈𝐘𝐀 🇷🇺: 2) Организовать', 12],
    ['a combining mark is its own code point', 'е\u0301сли 📌', 1],
  ])('%s', (_what, text, astral) => {
    const conv = offsetConverter(text);
    expect(conv.astral).toBe(astral);
    const cps = Array.from(text);
    expect(codePointLength(text)).toBe(cps.length);
    boundaries(text).forEach((u, cp) => {
      expect(conv.toCodePoint(u)).toBe(cp);
      expect(conv.toUtf16(cp)).toBe(u);
    });
  });

  it('slices what SQL substr(text, start + 1, end - start) returns', () => {
    const text = '📌 Резолюция\n1. Обеспечить 𝒦 условия;\n2. Организовать работу.';
    const start = Array.from(text).indexOf('1');
    const end = start + Array.from('1. Обеспечить 𝒦 условия;').length;
    expect(sliceCodePoints(text, start, end)).toBe('1. Обеспечить 𝒦 условия;');
  });

  it('an index inside a surrogate pair maps to its character, and a lone surrogate counts as one', () => {
    const text = 'a📌b';
    expect(offsetConverter(text).toCodePoint(2)).toBe(1);
    const lone = 'a\uD83Db📌c';
    const conv = offsetConverter(lone);
    expect(conv.astral).toBe(1);
    expect(conv.toCodePoint(lone.length)).toBe(Array.from(lone).length);
  });

  it('agrees with Array.from on arbitrary Unicode text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.nat(), fc.nat(), (text, a, b) => {
        const cps = Array.from(text);
        const conv = offsetConverter(text);
        for (const [cp, u] of boundaries(text).entries()) {
          if (conv.toCodePoint(u) !== cp || conv.toUtf16(cp) !== u) return false;
        }
        const lo = Math.min(a, b) % (cps.length + 1);
        const hi = Math.max(lo, Math.max(a, b) % (cps.length + 1));
        return sliceCodePoints(text, lo, hi) === cps.slice(lo, hi).join('');
      }),
      { numRuns: 500 },
    );
  });

  it('converts a large document quickly enough to run on every segmented one', () => {
    const text = ('Рекомендовать органам 📌 управления образованием обеспечить условия.\n').repeat(50_000);
    const conv = offsetConverter(text);
    expect(conv.astral).toBe(50_000);
    expect(conv.toCodePoint(text.length)).toBe(text.length - 50_000);
  });
});
