/**
 * Whether what the explorer shows is up to date, said plainly with the command that refreshes it.
 * Staleness comes from the shared per-stage API (pipeline/freshness.ts: each stage's fingerprint
 * compared with its last successful run, and the stages it reads), the same answer `confrec status`,
 * `similar` and `report` give; what is missing (recommendations without a vector or a map position)
 * is counted on the loaded index.
 */
import { stageFreshness, type StageFreshness } from '../freshness.js';
import type { Store } from '../store/db.js';
import type { Corpus } from './corpus.js';
import { count } from '../report/russian.js';

export interface FreshnessNote {
  /** Which part of the explorer is affected. */
  area: 'search' | 'map' | 'themes' | 'clusters' | 'duplicates' | 'all';
  message: string;
  command: string;
  /** The stage whose output is stale (absent for notes on missing data). */
  stage?: string;
  /** Why, as the shared freshness API says it (English, as `confrec status` prints it). */
  reason?: string;
}

/** The stages whose output the explorer shows, and where it shows it. */
export const EXPLORER_STAGES = ['embed', 'themes', 'clusters', 'similar', 'map'] as const;

const AREA: Record<string, FreshnessNote['area']> = { embed: 'search', themes: 'themes', clusters: 'clusters', similar: 'duplicates', map: 'map' };

const WHAT: Record<string, string> = {
  embed: 'Векторы для поиска',
  themes: 'Темы',
  clusters: 'Кластеры',
  similar: 'Повторы (почти-дубликаты)',
  map: 'Карта',
};

/** The freshness of every stage the explorer shows, read through the shared API on `store`. */
export async function explorerStageFreshness(store: Store): Promise<StageFreshness[]> {
  const cache = new Map<string, StageFreshness>();
  const out: StageFreshness[] = [];
  for (const s of EXPLORER_STAGES) out.push(await stageFreshness(store, s, cache));
  return out;
}

/** Notes for stale stages (pure: from the shared API's answers). */
export function staleNotes(stages: readonly StageFreshness[], corpus: Pick<Corpus, 'embedding'>): FreshnessNote[] {
  const notes: FreshnessNote[] = [];
  for (const f of stages) {
    if (f.fresh) continue;
    // Without any vector the search note below says it all.
    if (f.stage === 'embed' && !corpus.embedding) continue;
    const what = WHAT[f.stage] ?? f.stage;
    const message =
      f.status === 'never-ran'
        ? `${what}: этап ещё не выполнялся.`
        : f.status === 'fresh'
          ? `${what}: посчитано до последних изменений (${f.staleUpstream.join(', ')}) и может быть неполным — ${f.reasonRu}.`
          : `${what}: устарело — ${f.reasonRu}.`;
    notes.push({ area: AREA[f.stage] ?? 'all', message, command: f.refreshCommand ?? `confrec ${f.stage}`, stage: f.stage, reason: f.reason });
  }
  return notes;
}

/** Everything the explorer says about the state of the data: stale stages and missing pieces. */
export function freshnessNotes(corpus: Corpus, embedderProblem: string | null, stages: readonly StageFreshness[]): FreshnessNote[] {
  const notes: FreshnessNote[] = [];
  if (corpus.n === 0) {
    notes.push({ area: 'all', message: 'В базе нет ни одной рекомендации.', command: 'confrec run <папка с резолюциями>' });
    return notes;
  }
  if (!corpus.embedding) {
    notes.push({ area: 'search', message: 'В базе ещё нет векторов: поиск по смыслу, карта и проверка проекта недоступны.', command: 'confrec run <папка> (или confrec embed)' });
  } else if (embedderProblem) {
    notes.push({ area: 'search', message: `Не удаётся открыть модель, которой построены векторы (${corpus.embedding.id}): поиск по смыслу недоступен.`, command: 'confrec embed' });
  }
  notes.push(...staleNotes(stages, corpus));
  let withoutVector = 0;
  let offMap = 0;
  for (let i = 0; i < corpus.n; i++) {
    if (corpus.vecRow[i] < 0) withoutVector++;
    if (Number.isNaN(corpus.x[i])) offMap++;
  }
  if (corpus.embedding && withoutVector > 0) {
    notes.push({ area: 'search', message: `${count(withoutVector, ['рекомендация без вектора находится', 'рекомендации без векторов находятся', 'рекомендаций без векторов находятся'])} только по словам.`, command: 'confrec embed' });
  }
  if (corpus.embedding && offMap > 0 && corpus.runs.has('map')) {
    notes.push({ area: 'map', message: `${count(offMap, ['рекомендация ещё не на карте', 'рекомендации ещё не на карте', 'рекомендаций ещё не на карте'])}.`, command: 'confrec map' });
  }
  return notes;
}
