/** `confrec check` on the command line: the index from a read-only connection, text and JSON output. */
import { listValue } from '@duckdb/node-api';
import { openCurrentEmbedder } from '../embed/current.js';
import type { Embedder } from '../embed/types.js';
import { ConfrecError } from '../errors.js';
import { warnIfStale } from '../freshness.js';
import { silentLogger, type Logger } from '../progress.js';
import { thresholdCalibrated, thresholdForSpace } from '../similar/queries/current-space.js';
import { loadThesaurus } from '../similar/containment/thesaurus.js';
import { config } from '../config.js';
import type { Store } from '../store/db.js';
import { loadMorph } from '../text/morph.js';
import { loadCorpus, type Corpus } from '../serve/corpus.js';
import * as Q from '../serve/queries.js';
import type { CheckIndex, CheckMatch, CheckResult } from './check.js';
import { MATCH_RU, provenanceRu, VERDICT_RU } from './messages.js';
import { addresseeLabel } from '../report/labels.js';
import { count, formatInt, plural } from '../report/russian.js';
import { segmentReasonRu } from '../segment/segment.js';

/** Proposal texts of recommendations, by rec_id (the containment test needs the frame taken off). */
export async function proposalsOf(store: Store, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await store.all<{ rec_id: string; proposal: string }>(Q.PROPOSALS, [listValue([...ids])]);
  return new Map(rows.map((r) => [r.rec_id, r.proposal]));
}

export async function openCheckIndex(store: Store, opts: { modelDir?: string; log?: Logger } = {}): Promise<CheckIndex> {
  const morph = await loadMorph();
  const corpus = await loadCorpus(store, morph, null, { literal: false });
  if (!corpus.embedding) throw new ConfrecError('no embeddings in this database yet', { file: store.path, hint: 'run `confrec run <folder>` (or `confrec embed`) first' });
  // The draft is compared with the stored vectors: say so when they are behind (shared freshness API).
  await warnIfStale(store, 'embed', 'the stored vectors the draft is compared with', opts.log ?? silentLogger, 'check');
  const embedder: Embedder | null = await openCurrentEmbedder(store, corpus.embedding, { modelDir: opts.modelDir }, opts.log ?? silentLogger);
  if (!embedder) throw new ConfrecError(`cannot open the embedder that made the stored vectors (${corpus.embedding.id})`, { hint: 'make its model available (--model-dir) or re-run `confrec embed`' });
  return {
    corpus,
    embedder,
    morph,
    thesaurus: loadThesaurus(config.synonymsFile, morph),
    nearDuplicateThreshold: await thresholdForSpace(corpus.embedding),
    thresholdCalibrated: await thresholdCalibrated(corpus.embedding),
    proposals: (ids) => proposalsOf(store, ids),
  };
}

/** Matches printed per item: near-duplicates (or related ones when there are no near-duplicates), and related ones after near-duplicates. */
const SHOW_NEAR = 5;
const SHOW_RELATED = 3;

/** "… и ещё 7 почти-дубликатов (все — в --json)": what a list leaves out, and whether --json has it all. */
function hidden(total: number, shown: number, listed: number, forms: readonly [string, string, string]): string[] {
  if (total <= shown) return [];
  const where = listed >= total ? 'все — в --json' : `в --json — ${formatInt(listed)} из ${formatInt(total)}`;
  return [`      … и ещё ${count(total - shown, forms)} (${where})`];
}

/** Widest match label, so the columns after it line up. */
const KIND_WIDTH = Math.max(...Object.values(MATCH_RU).map((l) => l.length));

function matchLine(c: Corpus, m: CheckMatch): string {
  const d = c.docs[c.doc[m.i]];
  const where = `${d?.source_file ?? '?'}:${c.lineStart[m.i]}`;
  const conf = [d?.title ?? '(конференция не указана)', c.year[m.i] || null].filter(Boolean).join(', ');
  return `      ${m.similarity.toFixed(3)} ${MATCH_RU[m.kind].padEnd(KIND_WIDTH)}  ${where}  ${conf}  → ${c.addressee[m.i] ?? addresseeLabel(c.addresseeType[m.i])}\n          ${c.text[m.i].replace(/\s+/g, ' ')}`;
}

/**
 * The check as text for the people who read it (methodologists): Russian, like the explorer. Tools
 * read `--json`, whose keys and codes (verdict repeated / similar / new) stay English and stable.
 */
export function formatCheck(r: CheckResult, c: Corpus): string {
  if (r.items.length === 0) return `${r.name}: в проекте не найдено ни одной рекомендации (${segmentReasonRu(r.reason ?? '')}) — это резолюция со списком предложений?`;
  const internal = r.items.filter((it) => it.repeatsItem !== null).length;
  const head =
    `${r.name}: ${count(r.items.length, ['рекомендация', 'рекомендации', 'рекомендаций'])} — повторы: ${r.counts.repeated}, похожие: ${r.counts.similar}, новые: ${r.counts.new}\n` +
    `(повтор — почти-дубликат: тот же текст, косинус ≥ ${r.threshold.toFixed(3)} или одно предложение содержит другое; похожее — косинус ≥ ${r.relatedFloor.toFixed(2)}; пространство ${r.embedder})` +
    `\n${provenanceRu(r)}` +
    (internal ? `\n${count(internal, ['пункт повторяет другой пункт', 'пункта повторяют другие пункты', 'пунктов повторяют другие пункты'])} этого же проекта` : '') +
    (r.excludedDoc ? `\n(этот проект уже сохранён в базе как документ ${r.excludedDoc}: его собственные рекомендации в сравнение не входят)` : '');
  const items = r.items.map((it) => {
    const label = VERDICT_RU[it.verdict].toUpperCase().padEnd(8);
    const lines = [`${String(it.seq).padStart(2)}. ${label} строка ${it.line}  → ${it.addressee ?? addresseeLabel(it.addresseeType)}`, `      ${it.text.replace(/\s+/g, ' ')}`];
    if (it.repeatsItem !== null) lines.push(`    повторяет пункт ${it.repeatsItem} этого проекта`);
    // Near-duplicates first (the earliest SHOW_NEAR), then proposals only close in meaning (the closest
    // SHOW_RELATED; SHOW_NEAR when they are all there is): each list says how many it leaves out and
    // whether --json has them, so the counts never contradict each other.
    const near = it.matches.filter((m) => m.kind !== 'related');
    const related = it.matches.filter((m) => m.kind === 'related');
    if (it.verdict === 'repeated' && it.first) {
      const y = c.year[it.first.i];
      lines.push(`    почти-дубликат ${formatInt(it.repeats)} ${plural(it.repeats, ['более ранней рекомендации', 'более ранних рекомендаций', 'более ранних рекомендаций'])}, впервые — ${y ? `в ${y} году` : 'в документе без даты'}:`);
      lines.push(...near.slice(0, SHOW_NEAR).map((m) => matchLine(c, m)));
      lines.push(...hidden(it.repeats, Math.min(it.repeats, SHOW_NEAR), near.length, ['почти-дубликат', 'почти-дубликата', 'почти-дубликатов']));
    }
    if (it.related > 0) {
      const show = it.verdict === 'repeated' ? SHOW_RELATED : SHOW_NEAR;
      lines.push(it.verdict === 'repeated' ? `    кроме того, близкие по смыслу (не почти-дубликаты): ${formatInt(it.related)}` : `    близкие по смыслу более ранние предложения: ${formatInt(it.related)}`);
      lines.push(...related.slice(0, show).map((m) => matchLine(c, m)));
      lines.push(...hidden(it.related, Math.min(it.related, show), related.length, ['близкое по смыслу', 'близких по смыслу', 'близких по смыслу']));
    }
    return lines.join('\n');
  });
  return [head, ...items].join('\n\n');
}

export function checkJson(r: CheckResult, c: Corpus) {
  const match = (m: CheckMatch) => {
    const d = c.docs[c.doc[m.i]];
    return {
      rec_id: c.recId[m.i],
      match: m.kind,
      similarity: Number(m.similarity.toFixed(4)),
      text: c.text[m.i],
      conference: d?.title ?? null,
      date: d?.date_start ?? null,
      year: c.year[m.i] || null,
      city: d?.city ?? null,
      region: d?.region ?? null,
      addressee: c.addressee[m.i],
      addressee_type: c.addresseeType[m.i],
      source_file: d?.source_file ?? null,
      source_path: d?.source_path ?? null,
      line: c.lineStart[m.i],
    };
  };
  return {
    file: r.name,
    embedder: r.embedder,
    embed_run: r.embedRun,
    threshold: r.threshold,
    threshold_calibrated: r.thresholdCalibrated,
    compared: r.compared,
    related_floor: r.relatedFloor,
    excluded_document: r.excludedDoc,
    counts: r.counts,
    reason: r.reason,
    items: r.items.map((it) => ({
      seq: it.seq,
      line: it.line,
      text: it.text,
      proposal: it.proposal,
      addressee: it.addressee,
      addressee_type: it.addresseeType,
      verdict: it.verdict,
      repeats: it.repeats,
      related: it.related,
      first_year: it.first ? c.year[it.first.i] || null : null,
      repeats_item: it.repeatsItem,
      matches: it.matches.map(match),
    })),
  };
}
