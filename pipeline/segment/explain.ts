import type { Segmentation, TraceEntry } from './segment.js';
import { allRules } from './rules/index.js';
import { lineLocator } from './rows.js';

const WIDTH = 72;

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/**
 * The document line by line with what each line was taken for and the rule that decided:
 *
 *   26  item #1         item.infinitive-list      1. Рекомендовать выступившим на конференции …
 *
 * Roles: preamble, title, narrative, trap (and which kind), lead-in, addressee (→ nominative), item
 * (#seq), continuation, evaluative, table-header, closing, appendix, noise, blank.
 */
export function formatExplain(text: string, seg: Segmentation, header: string): string {
  const lines = text.split('\n');
  const starts: number[] = [];
  let pos = 0;
  for (const l of lines) {
    starts.push(pos);
    pos += l.length + 1;
  }
  const entries = seg.trace.filter((t) => t.end > t.start);
  const itemsAt = new Map<number, number[]>();
  const lineOf = lineLocator(text);
  for (const r of seg.recommendations) {
    const line = lineOf(r.charStart);
    itemsAt.set(line, [...(itemsAt.get(line) ?? []), r.seq]);
  }
  const out = [header];
  const numWidth = String(lines.length).length;
  for (let i = 0; i < lines.length; i++) {
    const from = starts[i];
    const to = from + lines[i].length;
    let role = 'blank';
    let rule = '';
    let detail = '';
    if (lines[i].trim()) {
      // The entry that starts on this line wins; otherwise the line continues the entry covering it.
      const here = entries.filter((t) => t.start < to && t.end > from);
      const starting = here.find((t) => t.start >= from) ?? null;
      const covering: TraceEntry | undefined = here[0];
      const e = starting ?? covering;
      if (e) {
        role = starting ? e.role : 'continuation';
        rule = e.rule;
        detail = e.detail ?? '';
      } else role = 'preamble';
    }
    const seqs = itemsAt.get(i + 1) ?? [];
    const items = seqs.length ? `#${seqs[0]}${seqs.length > 1 ? `–${seqs[seqs.length - 1]}` : ''}` : '';
    let label = role;
    if (role === 'trap' && detail) label = `trap: ${detail}`;
    if (items) label = role === 'item' || role === 'continuation' ? `item ${items}` : `${label} + ${items}`;
    const shown = lines[i].trim() ? clip(lines[i].trim(), WIDTH) : '';
    const to_ = role === 'addressee' && detail ? `   → ${detail}` : '';
    out.push(`${String(i + 1).padStart(numWidth)}  ${label.padEnd(20)} ${rule.padEnd(27)} ${shown}${to_}`.trimEnd());
  }
  out.push('');
  out.push(`verdict: ${seg.verdict}${seg.reviewReasons.length ? ` (${seg.reviewReasons.join('; ')})` : ''}; source: ${seg.sourceKind}; ${seg.recommendations.length} recommendation(s)`);
  for (const r of seg.recommendations) {
    const extra = [r.form, r.verb ? `verb ${r.verb}` : 'no verb', r.addressee ? `→ ${r.addressee}` : null, r.responsible ? `responsible: ${r.responsible}` : null, r.deadlineText ? `deadline: ${r.deadline ?? r.deadlineText}` : null, r.corrected ? 'corrected' : null]
      .filter(Boolean)
      .join(', ');
    out.push(`  #${r.seq} [${r.rule}] ${clip(r.text, 90)}\n      ${extra}`);
  }
  return out.join('\n');
}


/** The rules registry as a table: id, family, what it decides, summary, thresholds with their origin. */
export function formatRules(): string {
  const out: string[] = [];
  for (const r of allRules()) {
    out.push(`${r.id}  [${r.family}] → ${r.role}`);
    out.push(`    ${r.summary}`);
    out.push(`    e.g. ${r.example.replace(/\n/g, ' / ')}`);
    for (const [name, t] of Object.entries(r.thresholds ?? {})) out.push(`    ${name} = ${t.value}: ${t.origin}`);
  }
  return out.join('\n');
}
