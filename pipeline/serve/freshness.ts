/**
 * Whether what the explorer shows is up to date, said plainly with the command that refreshes it.
 * Judged from the order of the latest successful runs (a stage that ran before the stage it reads
 * from is stale) and from what is missing (recommendations without a vector or a map position).
 * When the shared per-stage freshness API lands, this is the one place to switch to it.
 */
import type { Corpus } from './corpus.js';

export interface FreshnessNote {
  /** Which part of the explorer is affected. */
  area: 'search' | 'map' | 'themes' | 'clusters' | 'duplicates' | 'all';
  message: string;
  command: string;
}

/** The stages each stage reads from (directly or not). */
const UPSTREAM: Record<string, string[]> = {
  embed: ['segment'],
  themes: ['segment', 'embed'],
  clusters: ['segment', 'embed'],
  similar: ['segment', 'embed'],
  map: ['segment', 'embed'],
};

const AREA: Record<string, FreshnessNote['area']> = { embed: 'search', themes: 'themes', clusters: 'clusters', similar: 'duplicates', map: 'map' };

/** The command that runs one stage alone (the near-duplicate stage runs through `duplicates`). */
const COMMAND: Record<string, string> = {
  embed: 'confrec embed',
  themes: 'confrec themes',
  clusters: 'confrec clusters',
  similar: 'confrec duplicates',
  map: 'confrec map',
};

const WHAT: Record<string, string> = {
  embed: 'Векторы для поиска',
  themes: 'Темы',
  clusters: 'Кластеры',
  similar: 'Повторы (почти-дубликаты)',
  map: 'Карта',
};

export function freshnessNotes(corpus: Corpus, embedderProblem: string | null): FreshnessNote[] {
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
  const runs = corpus.runs;
  for (const [stage, upstream] of Object.entries(UPSTREAM)) {
    const own = runs.get(stage)?.run_id;
    const newer = upstream.filter((u) => (runs.get(u)?.run_id ?? 0) > (own ?? 0));
    if (own === undefined) {
      if (stage === 'embed' && !corpus.embedding) continue;
      notes.push({ area: AREA[stage], message: `${WHAT[stage]}: этап ещё не выполнялся.`, command: COMMAND[stage] });
    } else if (newer.length) {
      notes.push({ area: AREA[stage], message: `${WHAT[stage]} посчитаны до последнего запуска этапа ${newer.join(', ')} и могут быть неполными.`, command: 'confrec run <папка>' });
    }
  }
  let withoutVector = 0;
  let offMap = 0;
  for (let i = 0; i < corpus.n; i++) {
    if (corpus.vecRow[i] < 0) withoutVector++;
    if (Number.isNaN(corpus.x[i])) offMap++;
  }
  if (corpus.embedding && withoutVector > 0) {
    notes.push({ area: 'search', message: `${withoutVector} рекомендаций без векторов находятся только по словам.`, command: 'confrec embed' });
  }
  if (corpus.embedding && offMap > 0 && runs.has('map')) {
    notes.push({ area: 'map', message: `${offMap} рекомендаций ещё не на карте.`, command: 'confrec map' });
  }
  return notes;
}
