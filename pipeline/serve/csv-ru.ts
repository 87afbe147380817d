/**
 * The explorer's CSV downloads are for people (a methodologist opens them in Excel), so their column
 * names and coded values are Russian; `?format=json` keeps the rows' stable English keys and codes for
 * tools. One table here turns an English row into the Russian one (the draft check builds its Russian
 * rows itself: pipeline/serve/routes/check.ts `checkRows`). A key missing from the table is a bug the
 * unit test catches (tests/unit/serve-csv-ru.test.ts walks every download).
 */
import { addresseeLabel } from '../report/labels.js';
import { MATCH_LABELS } from './routes/recommendation.js';

export const CSV_COLUMNS: Record<string, string> = {
  rank: 'место',
  rec_id: 'идентификатор',
  similarity: 'сходство',
  similarity_to_centre: 'сходство с центром группы',
  all_query_words: 'все слова запроса',
  text: 'текст',
  conference: 'конференция',
  date: 'дата',
  year: 'год',
  level: 'уровень',
  city: 'город',
  region: 'регион',
  addressee_type: 'тип адресата',
  addressee: 'адресат',
  themes: 'темы',
  cluster: 'кластер',
  near_duplicates_elsewhere: 'почти-дубликатов в других документах',
  source_file: 'файл',
  line: 'строка',
  doc_id: 'идентификатор документа',
  url: 'ссылка',
  kind: 'вид',
  match: 'совпадение',
  is_centre: 'центр группы',
  // conferences
  title: 'название',
  date_start: 'дата',
  participants: 'участников',
  format: 'формат',
  organizer: 'организатор',
  recommendations: 'рекомендаций',
  repeated_from_earlier: 'повторов более ранних',
  copies: 'копий',
  seq: '№ пункта',
  status: 'статус',
  first_seen_rec_id: 'впервые: идентификатор',
  first_seen_conference: 'впервые: конференция',
  first_seen_date: 'впервые: дата',
  // compare
  relation: 'отношение',
  a_rec_id: 'A: идентификатор',
  a_text: 'A: текст',
  a_source_file: 'A: файл',
  a_line: 'A: строка',
  a_date: 'A: дата',
  a_city: 'A: город',
  b_rec_id: 'Б: идентификатор',
  b_text: 'Б: текст',
  b_source_file: 'Б: файл',
  b_line: 'Б: строка',
  b_date: 'Б: дата',
  b_city: 'Б: город',
  // groups
  group_id: 'группа',
  size: 'рекомендаций',
  documents: 'документов',
  conferences: 'конференций',
  first_year: 'первый год',
  last_year: 'последний год',
  span_years: 'лет между первым и последним',
  centre_rec_id: 'центр: идентификатор',
  centre_text: 'центр: текст',
  centre_source_file: 'центр: файл',
  centre_line: 'центр: строка',
  centre_date: 'центр: дата',
  centre_city: 'центр: город',
  // trends
  theme: 'тема (код)',
  theme_label: 'тема',
  recommendations_with_theme: 'рекомендаций с темой',
  share: 'доля',
  few_documents: 'мало документов',
};

const KIND_LABELS: Record<string, string> = { resolution: 'резолюция', news: 'новость' };
const STATUS_LABELS: Record<string, string> = { new: 'новое', repeated: 'повтор' };
const RELATION_LABELS: Record<string, string> = { shared: 'общее', similar: 'похожее', only_a: 'только в A', only_b: 'только в Б' };

/** Coded values per column, turned into the words the pages show. */
const VALUES: Record<string, (v: unknown) => unknown> = {
  addressee_type: (v) => addresseeLabel((v as string | null) ?? null),
  match: (v) => (typeof v === 'string' ? (MATCH_LABELS[v] ?? v) : v),
  kind: (v) => (typeof v === 'string' ? (MATCH_LABELS[v] ?? KIND_LABELS[v] ?? v) : v),
  status: (v) => (typeof v === 'string' ? (STATUS_LABELS[v] ?? v) : v),
  relation: (v) => (typeof v === 'string' ? (RELATION_LABELS[v] ?? v) : v),
};

/**
 * An English row of a download as the Russian row of its CSV (booleans as да/нет; `themes`, theme ids
 * joined by «;», as the themes' Russian labels when `themeLabels` knows them).
 */
export function russianRow(row: Record<string, unknown>, themeLabels: ReadonlyMap<string, string> = new Map()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    const value =
      k === 'themes' && typeof v === 'string'
        ? v.split(';').filter(Boolean).map((t) => themeLabels.get(t) ?? t).join('; ')
        : VALUES[k]
          ? VALUES[k](v)
          : typeof v === 'boolean'
            ? v
              ? 'да'
              : 'нет'
            : v;
    out[CSV_COLUMNS[k] ?? k] = value;
  }
  return out;
}
