/**
 * The draft check: "has this been proposed before?" for every item of a draft resolution. The draft
 * is read and segmented like any document (readers, normaliseText, segmentResolution) but not stored;
 * each item's proposal is embedded in the stored space and compared with every current
 * recommendation by the similar stage's own criteria:
 *   identical — the same proposal text (text_hash);
 *   similar   — cosine at or above the near-duplicate threshold calibrated for the embedder;
 *   contained — one proposal's content lemmas (contentLemmas, synonyms from data/synonyms.json) all in
 *               the other's (isContained), with a cosine of at least CONTAINED_MIN_SIMILARITY.
 * Verdict: repeated (a near-duplicate exists: how many, first when), similar (only related ones,
 * cosine at or above the related floor), or new.
 */
import { basename } from 'node:path';
import type { Embedder } from '../embed/types.js';
import { ConfrecError } from '../errors.js';
import { count, formatInt } from '../report/russian.js';
import { readDocument } from '../ingest/readers.js';
import { segmentResolution } from '../segment/segment.js';
import { CONTAINED_MIN_SIMILARITY } from '../similar/containment/store.js';
import { contentLemmas, isContained } from '../similar/containment/containment.js';
import type { Thesaurus } from '../similar/containment/thesaurus.js';
import { sha256Hex } from '../store/hash.js';
import type { AddresseeType } from '../store/types.js';
import type { Morph } from '../text/morph.js';
import { normaliseText } from '../text/normalise.js';
import { scoreRows, type Corpus, type MatchKind } from '../serve/corpus.js';
import { relatedFloor, timeKey } from '../serve/history.js';
import { lineLocator } from '../segment/stage.js';
import { embedderFamily } from '../themes/calibration.js';
import { explorerConfig } from '../config.js';

/** What the check needs from the corpus side: the index, the embedder, and proposal texts on demand. */
export interface CheckIndex {
  corpus: Corpus;
  embedder: Embedder | null;
  morph: Morph;
  thesaurus: Thesaurus;
  nearDuplicateThreshold: number;
  /** Whether the threshold was calibrated for the space's family (else the default); shown as provenance. */
  thresholdCalibrated?: boolean;
  /** Proposal texts (the frame taken off) of the given recommendations. */
  proposals(recIds: readonly string[]): Promise<Map<string, string>>;
}

export type Verdict = 'repeated' | 'similar' | 'new';

export interface CheckMatch {
  /** Index into the corpus. */
  i: number;
  kind: MatchKind | 'related';
  similarity: number;
}

export interface CheckedItem {
  seq: number;
  text: string;
  proposal: string;
  addressee: string | null;
  addresseeType: AddresseeType;
  line: number;
  verdict: Verdict;
  /** Near-duplicates first (the earliest MAX_NEAR_LISTED, in time order), then related ones (closest first, at most MAX_LISTED). */
  matches: CheckMatch[];
  /** Near-duplicates (all of them, not only those listed). */
  repeats: number;
  /** Related proposals (all of them, not only the MAX_LISTED listed). */
  related: number;
  /** The earliest near-duplicate. */
  first: CheckMatch | null;
  /** `seq` of an earlier item of this same draft that it repeats (the same proposal text or cosine ≥ the threshold), or null. */
  repeatsItem: number | null;
}

export interface CheckResult {
  name: string;
  /** The draft's text as segmented (normalised). */
  text: string;
  items: CheckedItem[];
  /** Why no recommendation was found (only when items is empty). */
  reason: string | null;
  threshold: number;
  relatedFloor: number;
  /** The space the verdicts were made in: its id (version and a hash of what it was fitted on) … */
  embedder: string;
  /** … the embed run that made the stored vectors (a refit after new documents is a new run) … */
  embedRun: number;
  /** … whether the threshold was calibrated for that family (else the default) … */
  thresholdCalibrated: boolean;
  /** … and how many recommendations the draft was compared with. */
  compared: number;
  /** The stored document with the draft's bytes, when it was saved before: left out of the comparison. */
  excludedDoc: string | null;
  counts: Record<Verdict, number>;
}

/** Related proposals listed per item beyond the near-duplicates. */
export const MAX_LISTED = 10;

/** Near-duplicates listed per item (the earliest ones; `repeats` counts all). A stock phrase can match thousands. */
export const MAX_NEAR_LISTED = 50;

/**
 * Items a draft may have. A draft resolution is at most a few hundred items: the resolutions seen so
 * far have 3–60 (sample corpus and methodologists' test corpora at most a few dozen per document, the
 * synthetic ones ≈ 7.5), a large federal resolution with sections perhaps 200. A file with thousands is
 * not a draft (a collection of resolutions, proceedings, a list pasted by mistake): its check would
 * take minutes and its page tens of megabytes (a 5 MB upload gave 16,562 "items" and a 46 MB page), and
 * nobody reads it. Refused with the count, not cut: a cut check would look complete.
 */
export const MAX_DRAFT_ITEMS = 500;

/**
 * Characters of draft text (after reading and normalising): 500 items of ≈ 250 characters with their
 * headings and a preamble are under 200,000; 300,000 (about 100 pages) leaves room and refuses a 5 MB
 * paste before the segmenter spends seconds on it.
 */
export const MAX_DRAFT_CHARS = 300_000;

/** A draft too large to be one resolution (over MAX_DRAFT_CHARS or MAX_DRAFT_ITEMS): said in Russian, the CLI and the explorer both show it. */
export class DraftTooLarge extends ConfrecError {
  constructor(
    readonly what: 'chars' | 'items',
    readonly size: number,
    readonly limit: number,
    file: string,
  ) {
    super(
      what === 'items'
        ? `в проекте ${count(size, ['пункт', 'пункта', 'пунктов'])} — больше, чем бывает в одной резолюции (проверяется не больше ${formatInt(limit)})`
        : `проект слишком длинный: ${count(size, ['знак', 'знака', 'знаков'])}, проверяется не больше ${formatInt(limit)} (около 100 страниц)`,
      { file, hint: 'оставьте в файле только текст проекта резолюции или разделите его на части и проверьте каждую отдельно' },
    );
    this.name = 'DraftTooLarge';
  }
}

/** The draft as text: a file read by the ingest readers, or pasted text. */
export async function draftText(input: { name: string; bytes: Uint8Array } | { text: string }): Promise<{ name: string; text: string; sha: string | null }> {
  if ('text' in input) return { name: 'вставленный текст', text: normaliseText(input.text), sha: null };
  const raw = await readDocument(input.name, input.bytes);
  return { name: basename(input.name), text: normaliseText(raw.text), sha: sha256Hex(input.bytes) };
}

export async function checkDraft(index: CheckIndex, input: { name: string; bytes: Uint8Array } | { text: string }): Promise<CheckResult> {
  const { corpus, embedder, morph, thesaurus } = index;
  if (!embedder || !corpus.embedding) {
    throw new ConfrecError('no embeddings in this database yet', { hint: 'run `confrec run <folder>` (or `confrec embed`) first' });
  }
  const draft = await draftText(input);
  if (draft.text.length > MAX_DRAFT_CHARS) throw new DraftTooLarge('chars', draft.text.length, MAX_DRAFT_CHARS, draft.name);
  if (!/\p{L}/u.test(draft.text)) throw new ConfrecError('the draft holds no readable words', { file: draft.name, hint: 'paste the text or upload the file of the draft resolution' });
  // The draft saved before (`--save`) is in the corpus, maybe at several paths: left out.
  const excluded = new Set<number>();
  if (draft.sha) corpus.docs.forEach((d, k) => d.sha256 === draft.sha && excluded.add(k));
  const excludedDoc = excluded.size ? corpus.docs[Math.min(...excluded)].doc_id : null;
  // A file saved twice (copy_of: the same bytes at another path, README «Versions») is one resolution:
  // its recommendations are compared once, under the first path, not listed twice.
  corpus.docs.forEach((d, k) => d.copy_of !== null && excluded.add(k));
  const seg = segmentResolution(draft.text, morph);
  const floor = relatedFloor(corpus.embedding.id);
  const threshold = index.nearDuplicateThreshold;
  const counts: Record<Verdict, number> = { repeated: 0, similar: 0, new: 0 };
  const base = { name: draft.name, text: draft.text, threshold, relatedFloor: floor, embedder: corpus.embedding.id, embedRun: corpus.embedding.runId, thresholdCalibrated: index.thresholdCalibrated ?? false, compared: corpus.n, excludedDoc };
  if (seg.recommendations.length > MAX_DRAFT_ITEMS) throw new DraftTooLarge('items', seg.recommendations.length, MAX_DRAFT_ITEMS, draft.name);
  if (seg.recommendations.length === 0) return { ...base, items: [], reason: seg.reason ?? 'no recommendations found', counts };

  const vectors = await embedder.embed(seg.recommendations.map((r) => r.proposal), 'passage');
  const lineOf = lineLocator(draft.text);
  const hashOf = new Map<string, number[]>();
  corpus.textHash.forEach((h, i) => {
    const l = hashOf.get(h);
    if (l) l.push(i);
    else hashOf.set(h, [i]);
  });
  // First pass: cosines and the candidates for containment (cosine ≥ its floor).
  const low = Math.min(floor, CONTAINED_MIN_SIMILARITY, threshold);
  const perItem = seg.recommendations.map((r, k) => {
    const scores = scoreRows(corpus, vectors[k]);
    const close: { i: number; s: number }[] = [];
    for (let row = 0; row < scores.length; row++) {
      if (scores[row] < low) continue;
      for (const i of corpus.recsOfRow[row]) if (!excluded.has(corpus.doc[i])) close.push({ i, s: scores[row] });
    }
    const identical = (hashOf.get(sha256Hex(r.proposal)) ?? []).filter((i) => !excluded.has(corpus.doc[i]));
    return { r, close, identical: new Set(identical) };
  });
  const needProposals = new Set<string>();
  for (const p of perItem) for (const c of p.close) if (!p.identical.has(c.i)) needProposals.add(corpus.recId[c.i]);
  const proposals = needProposals.size ? await index.proposals([...needProposals]) : new Map<string, string>();
  const lemmaCache = new Map<string, string[]>();
  const lemmasOf = (text: string) => {
    let l = lemmaCache.get(text);
    if (!l) lemmaCache.set(text, (l = contentLemmas(text, morph, thesaurus)));
    return l;
  };

  // Lexical spaces see a draft out of sample: a cosine match must also share words (config.ts).
  const lexical = embedderFamily(corpus.embedding.id).startsWith('lexical');
  const shares = (a: string[], b: string[]) => {
    if (!lexical) return true;
    const set = new Set(b);
    const common = a.filter((x) => set.has(x)).length;
    return common >= explorerConfig.lexicalMinOverlap * Math.min(a.length, b.length) && common > 0;
  };
  // Items of the draft that repeat an earlier item of the same draft (a copy-paste slip of the drafting
  // committee): the same proposal text, or a cosine at or above the near-duplicate threshold with
  // shared words. Containment is left out here: a general item and its own sub-item ("развивать
  // наставничество" … "закрепить наставника …") are a normal structure of one resolution.
  const norm = vectors.map((v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1);
  const cosine = (a: number, b: number) => {
    let dot = 0;
    for (let d = 0; d < vectors[a].length; d++) dot += vectors[a][d] * vectors[b][d];
    return dot / (norm[a] * norm[b]);
  };
  const hashes = seg.recommendations.map((r) => sha256Hex(r.proposal));
  const repeatsItem = seg.recommendations.map((_, k) => {
    for (let j = 0; j < k; j++) {
      if (hashes[j] === hashes[k]) return seg.recommendations[j].seq;
      const a = seg.recommendations[j].proposal;
      const b = seg.recommendations[k].proposal;
      if (cosine(j, k) >= threshold && shares(lemmasOf(a), lemmasOf(b))) return seg.recommendations[j].seq;
    }
    return null;
  });
  const items: CheckedItem[] = perItem.map(({ r, close, identical }, k) => {
    const mine = lemmasOf(r.proposal);
    const near: CheckMatch[] = [...identical].map((i) => ({ i, kind: 'identical' as const, similarity: 1 }));
    const related: CheckMatch[] = [];
    for (const c of close) {
      if (identical.has(c.i)) continue;
      const theirs = lemmasOf(proposals.get(corpus.recId[c.i]) ?? corpus.text[c.i]);
      if (!shares(mine, theirs)) continue;
      if (c.s >= threshold) near.push({ i: c.i, kind: 'similar', similarity: c.s });
      else if (c.s >= CONTAINED_MIN_SIMILARITY && isContained(mine, theirs)) near.push({ i: c.i, kind: 'contained', similarity: c.s });
      else if (c.s >= floor) related.push({ i: c.i, kind: 'related', similarity: c.s });
    }
    const byTime = (a: CheckMatch, b: CheckMatch) => {
      const ka = timeKey(corpus, a.i);
      const kb = timeKey(corpus, b.i);
      return ka < kb ? -1 : ka > kb ? 1 : a.i - b.i;
    };
    near.sort(byTime);
    related.sort((a, b) => b.similarity - a.similarity || a.i - b.i);
    const verdict: Verdict = near.length ? 'repeated' : related.length ? 'similar' : 'new';
    counts[verdict]++;
    return {
      seq: r.seq,
      text: r.text,
      proposal: r.proposal,
      addressee: r.addressee,
      addresseeType: r.addresseeType,
      line: lineOf(r.charStart),
      verdict,
      matches: [...near.slice(0, MAX_NEAR_LISTED), ...related.slice(0, MAX_LISTED)],
      repeats: near.length,
      related: related.length,
      first: near[0] ?? null,
      repeatsItem: repeatsItem[k],
    };
  });
  return { ...base, items, reason: null, counts };
}
