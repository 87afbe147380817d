/**
 * Cluster labels a director can read: the most distinctive noun phrase of each cluster, in the
 * nominative («поддержка семей детей с ОВЗ», «информирование через СМИ»), instead of three lemmas
 * («опора, представленный, хороший»). BERTopic's recipe carried over to Russian:
 *
 * 1. candidates: noun phrases found with `az` tags (text/phrases.ts) — BERTopic's PartOfSpeech
 *    representation;
 * 2. distinctiveness: class-based TF-IDF over the phrases (ctfidf.ts), counting a phrase once per
 *    recommendation, so a phrase weighs by how many members use it and how few other clusters do;
 * 3. diversity: Maximal Marginal Relevance picks the next phrases (BERTopic's
 *    MaximalMarginalRelevance), penalising overlap in lemmas with the ones already chosen.
 *
 * The label is the first phrase; `phrases` keeps the MMR list, and the stage keeps the old lemma
 * list as a secondary field. Pure given a Morph.
 */
import type { Morph } from '../../text/morph.js';
import type { Token } from '../../text/tokenize.js';
import { nominativePhrase, nounPhrases, type PhraseOccurrence } from '../../text/phrases.js';
import { classTfIdf } from './ctfidf.js';

export interface LabelPhrase {
  /** In the nominative, as a label. */
  phrase: string;
  /** Lemmas: the phrase's identity. */
  key: string;
  weight: number;
  /** Share of the cluster's (sampled) recommendations that contain it. */
  coverage: number;
}

export interface PhraseLabel {
  label: string | null;
  phrases: LabelPhrase[];
}

/**
 * Heads that say nothing on their own in this genre («работа», «организация», «развитие»): a phrase
 * of one such word is never a label, though «развитие одарённости» is. Chosen by reading the
 * labels of the sample and the 3,000-resolution synthetic corpus.
 */
const EMPTY_HEADS = new Set([
  'работа', 'деятельность', 'организация', 'мероприятие', 'вопрос', 'условие', 'система', 'развитие', 'программа', 'год',
  'рамка', 'число', 'участие', 'реализация', 'обеспечение', 'использование', 'проведение', 'создание', 'возможность',
  'область', 'сфера', 'уровень', 'форма', 'опыт', 'практика', 'направление', 'результат', 'процесс', 'качество', 'работник',
  'педагог', 'ребенок', 'обучающийся', 'учащийся', 'образование', 'учреждение', 'основа', 'целое', 'счет', 'период', 'ход',
  'специалист', 'содержание', 'план', 'модель', 'задача', 'цель', 'подход', 'механизм', 'проект', 'документ', 'материал',
  'совершенствование', 'внедрение', 'повышение', 'поддержка', 'формирование', 'организация', 'разработка', 'расширение',
  'средство', 'ресурс', 'информация', 'мера', 'вид', 'тип', 'часть', 'время', 'место', 'случай', 'образ', 'порядок',
  'оказание', 'осуществление', 'проблема', 'технология', 'сотрудничество', 'взаимодействие', 'итог', 'основание', 'связь',
]);

/**
 * Frames, not topics: «в целях …», «в рамках …», «на основе …», «с опорой на …», «по вопросам …». A
 * phrase opening with one is the frame around the topic; the topic is its own phrase.
 */
const FRAME_HEADS = new Set(['цель', 'рамка', 'основа', 'счет', 'ход', 'вопрос', 'целое', 'опора', 'внимание', 'роль', 'часть', 'число', 'база', 'соответствие', 'учет', 'территория', 'степень']);

/** Deverbal nouns that cannot end a phrase alone: «форматы оказания», «рекомендации по обучению» lost their object. */
const TAIL_EMPTY = new Set([
  'оказание', 'осуществление', 'обучение', 'работа', 'проведение', 'использование', 'организация', 'реализация', 'создание',
  'обеспечение', 'развитие', 'применение', 'получение', 'повышение', 'формирование', 'внедрение', 'участие', 'деятельность',
]);

/** Places and the country: «Российская Федерация», «Смоленская область» name where, not what. */
const PLACE_LEMMAS = new Set(['федерация', 'россия', 'рф', 'область', 'край', 'республика', 'город', 'район', 'округ', 'субъект', 'регион']);

/** Phrases made only of these lemmas name the genre's usual actors, not a topic. */
const ACTOR_LEMMAS = new Set([
  'образовательный', 'общеобразовательный', 'организация', 'педагогический', 'работник', 'педагог', 'обучающийся', 'учащийся',
  'ребенок', 'руководитель', 'учреждение', 'муниципальный', 'региональный', 'орган', 'управление', 'образование', 'школа',
]);

/** Weight of a phrase's length: two to four words say more than one, but rarer phrases must still cover the cluster. */
function lengthBonus(words: number): number {
  return words <= 1 ? 1 : words === 2 ? 1.6 : words === 3 ? 1.8 : 1.7;
}

/** λ of MMR: relevance against redundancy, as BERTopic's default diversity 0.1–0.3 read for short phrases. */
const MMR_LAMBDA = 0.6;

function lemmaSet(key: string): Set<string> {
  return new Set(key.split(' ').filter((w) => w.length > 2));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter === 0 ? 0 : inter / (a.size + b.size - inter);
}

/** Lower-case first letter unless the phrase opens with an abbreviation («СМИ», «ОВЗ»). */
function asLabel(nominative: string): string {
  const first = nominative.split(/\s+/)[0] ?? '';
  return first.length > 1 && first === first.toUpperCase() ? nominative : nominative.charAt(0).toLowerCase() + nominative.slice(1);
}

/**
 * Members read per cluster: a uniform sample (the stage's members come in md5(rec_id) order). A
 * label must cover 5% of it; on 200 members a share of 5–10% is known to ±1.5–2.1 points (one
 * standard error). Against 400, at 20,000 recommendations 37 of the 40 labels stayed the same, one
 * more in another grammatical number («школы ответственного родительства»), two changed between
 * near ties («сопровождение» → «методическая помощь»); for half the noun-phrase parsing, most of
 * the labeler's time (and 400 against 600 had kept 40 of 40 and 38 of 40 at 75,000).
 */
export const PHRASE_SAMPLE = 200;

/** Can this phrase be a label at all (not an empty head, a frame, a place, the genre's usual actors, a cut)? */
function isLabelCandidate(p: PhraseOccurrence): boolean {
  const lemmas = p.key.split(' ');
  const head = lemmas.find((l) => l !== 'с' && l !== 'для');
  if (p.length === 1 && EMPTY_HEADS.has(p.key)) return false;
  // «особое внимание», «образовательная деятельность»: an empty head with adjectives only.
  if (p.tail === 0 && EMPTY_HEADS.has(p.head)) return false;
  if (lemmas.some((l) => FRAME_HEADS.has(l))) return false;
  // «форматы оказания», «опыт работы»: a phrase that ends in an empty word lost its point.
  if (p.tail > 0 && p.bareEnd && (EMPTY_HEADS.has(lemmas[lemmas.length - 1]) || TAIL_EMPTY.has(lemmas[lemmas.length - 1]))) return false;
  if (lemmas.some((l) => PLACE_LEMMAS.has(l))) return false;
  if (lemmas.every((l) => ACTOR_LEMMAS.has(l) || l.length <= 2)) return false;
  return Boolean(head);
}

/** A noun phrase of a text that may be a label: its key (lemmas), words and the form as written. */
export interface LabelOccurrence {
  key: string;
  length: number;
  surface: string;
}

/** Verdicts by key, then by the rest of the shape (most keys come in one shape), for one labelling. */
export type VerdictCache = Map<string, { length: number; tail: number; bareEnd: boolean; head: string; ok: boolean }[]>;

/**
 * The noun phrases of one text that may be labels (isLabelCandidate), every occurrence in order:
 * the per-text part of phraseLabels. `verdicts` is a cache shared by the texts of one labelling
 * (the verdict depends on the lemmas and the shape only, and keys repeat across texts): no shape
 * string is built and hashed per occurrence (a third of this loop's time at 20,000 recommendations).
 */
export function labelPhraseOccurrences(text: string, morph: Morph, verdicts: VerdictCache = new Map(), tokens?: readonly Token[]): LabelOccurrence[] {
  const out: LabelOccurrence[] = [];
  for (const p of nounPhrases(text, morph, { maxWords: 4, tokens })) {
    if (p.truncated) continue;
    let list = verdicts.get(p.key);
    if (!list) verdicts.set(p.key, (list = []));
    let ok: boolean | undefined;
    for (const v of list) if (v.length === p.length && v.tail === p.tail && v.bareEnd === p.bareEnd && v.head === p.head) {
      ok = v.ok;
      break;
    }
    if (ok === undefined) {
      ok = isLabelCandidate(p);
      list.push({ length: p.length, tail: p.tail, bareEnd: p.bareEnd, head: p.head, ok });
    }
    if (ok) out.push({ key: p.key, length: p.length, surface: p.surface });
  }
  return out;
}

/**
 * Labels for clusters given their members' texts (proposals, without the addressing frame).
 * `top` phrases are kept per cluster.
 */
export function phraseLabels(textsByCluster: ReadonlyMap<number, readonly string[]>, morph: Morph, top = 5): Map<number, PhraseLabel> {
  const verdicts: VerdictCache = new Map();
  const byCluster = new Map<number, LabelOccurrence[][]>();
  for (const [c, all] of textsByCluster) byCluster.set(c, all.slice(0, PHRASE_SAMPLE).map((t) => labelPhraseOccurrences(t, morph, verdicts)));
  return phraseLabelsOf(byCluster, morph, top);
}

/**
 * phraseLabels from each cluster's texts given as their label phrases (labelPhraseOccurrences); the
 * first PHRASE_SAMPLE texts of each cluster are read.
 */
export function phraseLabelsOf(occurrencesByCluster: ReadonlyMap<number, readonly (readonly LabelOccurrence[])[]>, morph: Morph, top = 5): Map<number, PhraseLabel> {
  const docsByClass = new Map<number, string[][]>();
  // Written forms of each key as met; counted only for the phrases chosen (a handful per cluster).
  const surfaces = new Map<string, string[]>();
  const coverage = new Map<number, Map<string, number>>();
  const words = new Map<string, number>();
  const sizes = new Map<number, number>();
  for (const [c, all] of occurrencesByCluster) {
    const texts = all.slice(0, PHRASE_SAMPLE);
    sizes.set(c, texts.length);
    const docs: string[][] = [];
    const cov = new Map<string, number>();
    for (const occurrences of texts) {
      const seen = new Set<string>();
      for (const p of occurrences) {
        seen.add(p.key);
        words.set(p.key, p.length);
        const s = surfaces.get(p.key);
        if (s) s.push(p.surface);
        else surfaces.set(p.key, [p.surface]);
      }
      for (const k of seen) cov.set(k, (cov.get(k) ?? 0) + 1);
      docs.push([...seen]);
    }
    docsByClass.set(c, docs);
    coverage.set(c, cov);
  }
  const weights = classTfIdf(docsByClass, 200);
  const out = new Map<number, PhraseLabel>();
  for (const c of occurrencesByCluster.keys()) {
    const n = Math.max(1, sizes.get(c) ?? 0);
    // A label must be used by a fair share of the cluster: 2 members, or 5% of a large one.
    const minCover = Math.min(n, Math.max(2, Math.ceil(0.05 * n)));
    const cov = coverage.get(c) ?? new Map<string, number>();
    const candidates = (weights.get(c) ?? [])
      .filter((t) => (cov.get(t.term) ?? 0) >= minCover || n < 2)
      .map((t) => ({ key: t.term, score: t.weight * lengthBonus(words.get(t.term) ?? 1), coverage: (cov.get(t.term) ?? 0) / n }))
      .sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1));
    // A phrase inside a longer one used by (nearly) the same members says less: «программа просвещения» → «программа просвещения родителей».
    const padded = candidates.map((a) => ` ${a.key} `);
    const subsumed = new Set(
      candidates
        .filter((a, i) => candidates.some((b, j) => b.key !== a.key && b.coverage >= 0.9 * a.coverage && padded[j].includes(padded[i])))
        .map((a) => a.key),
    );
    for (let i = candidates.length - 1; i >= 0; i--) if (subsumed.has(candidates[i].key)) candidates.splice(i, 1);
    const best = candidates[0]?.score ?? 0;
    const chosen: typeof candidates = [];
    const pool = [...candidates];
    while (chosen.length < top && pool.length) {
      let pick = 0;
      let pickValue = -Infinity;
      for (let i = 0; i < pool.length; i++) {
        const rel = best ? pool[i].score / best : 0;
        const red = chosen.reduce((m, x) => Math.max(m, jaccard(lemmaSet(pool[i].key), lemmaSet(x.key))), 0);
        const v = MMR_LAMBDA * rel - (1 - MMR_LAMBDA) * red;
        if (v > pickValue + 1e-12) [pick, pickValue] = [i, v];
      }
      chosen.push(pool.splice(pick, 1)[0]);
    }
    const phrases = chosen.map((x) => {
      const counts = new Map<string, number>();
      for (const f of surfaces.get(x.key) ?? []) counts.set(f, (counts.get(f) ?? 0) + 1);
      const forms = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      // The most frequent written form, put into the nominative.
      return { phrase: asLabel(forms[0] ? nominativePhrase(forms[0][0], morph) : x.key), key: x.key, weight: Number(x.score.toFixed(5)), coverage: Number(x.coverage.toFixed(3)) };
    });
    out.set(c, { label: phrases[0]?.phrase ?? null, phrases });
  }
  distinctLabels(out);
  return out;
}

/**
 * Two clusters never share a label: the cluster where the phrase weighs more keeps it, the other
 * takes its next phrase (its label stays when it has no other). In place.
 */
export function distinctLabels(labels: Map<number, PhraseLabel>): void {
  const used = new Set<string>();
  const order = [...labels].sort((a, b) => (b[1].phrases[0]?.weight ?? 0) - (a[1].phrases[0]?.weight ?? 0) || a[0] - b[0]);
  for (const [, l] of order) {
    const free = l.phrases.find((p) => !used.has(p.key));
    l.label = free?.phrase ?? l.label;
    if (free) used.add(free.key);
  }
}
