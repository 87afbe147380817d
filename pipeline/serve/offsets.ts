/**
 * recommendations.char_start/char_end count code points (the database contract); JS strings index
 * UTF-16 code units. These convert, so a character outside the BMP (an emoji, a rare symbol) before
 * a recommendation does not shift its highlight.
 */
export function codePointsToUnits(text: string): (cp: number) => number {
  if (!/[\uD800-\uDFFF]/.test(text)) return (cp) => Math.max(0, Math.min(cp, text.length));
  const units: number[] = [];
  for (let u = 0; u < text.length; ) {
    units.push(u);
    const c = text.codePointAt(u)!;
    u += c > 0xffff ? 2 : 1;
  }
  units.push(text.length);
  return (cp) => units[Math.max(0, Math.min(cp, units.length - 1))];
}
