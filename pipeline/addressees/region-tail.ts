/**
 * The words of a name without a trailing region («Институт развития образования Иркутской
 * области» → «Институт развития образования»): legal-form codes carry the region instead
 * («ГАУ ДПО ИО ИРО»), so an abbreviation may leave it out.
 */
export function withoutRegionTail(words: readonly string[]): string[] {
  const n = words.length;
  const last = (words[n - 1] ?? '').toLowerCase();
  const prev = (words[n - 2] ?? '').toLowerCase();
  if (n > 2 && /^(?:области|края|округа|республики)$/.test(last) && /(?:ой|ей|его|ого)$/.test(prev)) return words.slice(0, -2);
  if (n > 2 && /^(?:республики|города|г)$/.test(prev) && /^\p{Lu}/u.test(words[n - 1])) return words.slice(0, -2);
  return [...words];
}
