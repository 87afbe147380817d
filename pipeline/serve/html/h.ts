/**
 * HTML built with a tagged template that escapes every interpolated value unless it is already
 * markup (Safe). Synchronous, unlike hono/html's helper (which may return a Promise), so page
 * functions stay plain functions that tests call directly.
 */
export class Safe {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

type Value = Safe | string | number | boolean | null | undefined | readonly Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Safe) return v.html;
  if (Array.isArray(v)) return (v as readonly Value[]).map(render).join('');
  return escapeHtml(String(v));
}

/** h`<p>${text}</p>`: text escaped, Safe values and arrays of them inserted as markup. */
export function h(strings: TemplateStringsArray, ...values: Value[]): Safe {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Safe(out);
}

/** Markup produced elsewhere (e.g. a server-rendered SVG), inserted as it is. */
export const raw = (s: string): Safe => new Safe(s);

/** Plain text with `backticked` commands shown as code. */
export function prose(s: string): Safe {
  return new Safe(
    s
      .split('`')
      .map((part, i) => (i % 2 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part)))
      .join(''),
  );
}
