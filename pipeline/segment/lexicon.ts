/**
 * Cue lemmas of the resolution genre. Lemmas (not word forms) so that "рекомендуют", "рекомендовали"
 * and "рекомендовать" are one cue. Kept here, in one place, so that they can be reviewed together.
 */

/** Verbs and nouns that open the operative part: "участники рекомендовали:", "выдвинуты предложения:". */
export const TRIGGER_LEMMAS = new Set([
  'рекомендовать',
  'рекомендация',
  'предложение',
  'предлагать',
  'предложить',
  'решить',
  'решение',
  'постановить',
  'поручить',
  'просить',
  'обратиться',
  'считать',
  'признать',
]);

/** "считать/признать" open the operative part only with these complements. */
export const NECESSITY_LEMMAS = new Set(['необходимый', 'целесообразный', 'важный', 'нужный', 'необходимо', 'целесообразно', 'важно']);

/**
 * Headings over lists that are not recommendations: goals, tasks, programme, sections, problems,
 * observations, participants, links.
 */
export const TRAP_LEMMAS = new Set([
  'цель',
  'задача',
  'программа',
  'повестка',
  'секция',
  'проблема',
  'включать',
  'ссылка',
  'отмечать',
  'отметить',
  'констатировать',
  'подчеркнуть',
  'обсудить',
  'обсуждаться',
  'рассмотреть',
  'выявить',
  'определить',
  'участие',
  'состав',
  'направление',
  'тема',
  'тематика',
  'достижение',
  'выступить',
  'выступление',
  'доклад',
  'форма',
  'план',
  'порядок',
]);

/** Verbs that frame a recommendation rather than state its action: "Рекомендовать X подготовить …". */
export const FRAMING_LEMMAS = new Set(['рекомендовать', 'предложить', 'предлагать', 'поручить', 'просить', 'считать', 'признать', 'обратиться']);

/** Evaluative verbs: items built on them praise or record, they do not recommend. */
export const EVALUATIVE_LEMMAS = new Set([
  'отметить',
  'отмечать',
  'констатировать',
  'поблагодарить',
  'одобрить',
  'приветствовать',
  'выразить',
  'согласиться',
  'принять',
]);

/** Lines that close the operative part: signatures, adoption notes, appendices. */
export const END_RE = /^(?:резолюция\s+принята|принята\s+(?:на|единогласно)|председатель|секретарь|оргкомитет|приложение(?!\p{L})|подписи?(?!\p{L})|дата\s+принятия)/iu;
