import type { Comparison, RecRef } from '../queries/compare.js';
import type { DuplicateGroup } from '../queries/duplicates.js';
import type { SimilarHit } from '../queries/search.js';
import { escapeControl } from '../../errors.js';

/** Human-readable output of similar, duplicates and compare: one block per item, text indented. */

const conference = (title: string | null, year: number | null) => [title ?? '(conference unknown)', year ?? null].filter((x) => x !== null).join(', ');
const addressee = (a: string | null) => (a ? `→ ${a}` : '→ (no addressee)');
const indent = (text: string) => '      ' + text.replace(/\s+/g, ' ').trim();
/** A file name inside a line: a newline in it must not split the listing. */
const file = (name: string) => escapeControl(name);

export function formatHits(hits: readonly SimilarHit[]): string {
  return hits
    .map((h, i) =>
      [
        `${String(i + 1).padStart(2)}. ${h.score.toFixed(3)}  ${conference(h.conference, h.year)}`,
        `    ${file(h.source_file)}:${h.line_start}  ${addressee(h.addressee)}`,
        indent(h.text),
      ].join('\n'),
    )
    .join('\n\n');
}

export function formatGroups(groups: readonly DuplicateGroup[]): string {
  const contained = groups.some((g) => g.members.some((m) => m.match === 'contained'));
  const legend = contained ? '\n\n⊂ the same proposal with a clause added or dropped: one contains all content words of the other' : '';
  return groups
    .map((g) =>
      [
        `group ${g.group_id}: ${g.size} recommendations in ${g.documents} documents`,
        ...g.members.map((m) =>
          [
            `  ${m.is_medoid ? '*' : ' '} ${m.similarity_to_medoid.toFixed(3)}${m.match === 'contained' ? ' ⊂ ' : '  '}${file(m.source_file)}:${m.line_start} (chars ${m.char_start}–${m.char_end})  ${conference(m.conference, m.year)}  ${addressee(m.addressee)}`,
            indent(m.text),
          ].join('\n'),
        ),
      ].join('\n'),
    )
    .join('\n\n') + legend;
}

const recLine = (r: RecRef) => `#${r.seq} line ${r.line_start}  ${addressee(r.addressee)}\n${indent(r.text)}`;

export function formatComparison(c: Comparison): string {
  const name = (d: Comparison['a']) => `${file(d.source_file)} (${d.doc_id}; ${conference(d.title, d.year)})`;
  const out = [
    `A: ${name(c.a)}`,
    `B: ${name(c.b)}`,
    `threshold ${c.threshold.toFixed(3)}${c.embedder ? ` in ${c.embedder}` : ' (identical texts only: no embeddings)'}`,
    '',
    `shared: ${c.shared.length}`,
    ...c.shared.map((s) => `  ${s.score.toFixed(3)}  A #${s.a.seq} line ${s.a.line_start} ↔ B #${s.b.seq} line ${s.b.line_start}\n${indent(s.a.text)}${s.a.text === s.b.text ? '' : `\n${indent(s.b.text)}`}`),
    '',
    `only in A: ${c.onlyA.length}`,
    ...c.onlyA.map((r) => '  ' + recLine(r)),
    '',
    `only in B: ${c.onlyB.length}`,
    ...c.onlyB.map((r) => '  ' + recLine(r)),
  ];
  return out.join('\n');
}
