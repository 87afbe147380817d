/**
 * Cue lemmas of the resolution genre. Lemmas (not word forms) so that "рекомендуют", "рекомендовали"
 * and "рекомендовать" are one cue. Kept here, in one place, so that they can be reviewed together;
 * the rules that use them are in rules/.
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
  'постановлять',
  'поручить',
  'поручать',
  'просить',
  'обратиться',
  'обращаться',
  'обращение',
  'призвать',
  'призывать',
  'требовать',
  'считать',
  'признать',
  'рекомендоваться',
  'предлагаться',
  'поручаться',
  // "Участники форума договорились о следующем:" — a memorandum's or an agreement's operative part.
  'договориться',
  'условиться',
  // "Мы, со своей стороны, обязуемся:" — the participants' own commitments (no addressee)
  'обязываться',
  'обязаться',
  // "Участники конференции выступили с инициативой:"
  'инициатива',
]);

/** "считать/признать" open the operative part only with these complements. */
export const NECESSITY_LEMMAS = new Set(['необходимый', 'целесообразный', 'важный', 'нужный', 'необходимо', 'целесообразно', 'важно', 'приоритетный', 'первоочередной', 'актуальный']);

/** What a list that is not recommendations holds, for `--explain` and the verdict. */
export type TrapKind =
  | 'goals'
  | 'tasks'
  | 'programme'
  | 'sections'
  | 'problems'
  | 'observations'
  | 'participants'
  | 'speakers'
  | 'results'
  | 'plans'
  | 'links'
  | 'topics'
  | 'agenda'
  | 'protocol'
  | 'quote'
  | 'appendix'
  | 'other';

/**
 * Headings over lists that are not recommendations: goals, tasks, programme, sections, problems,
 * observations, participants, speakers, results, plans, links. Lemma → what the list holds.
 */
export const TRAP_KINDS: ReadonlyMap<string, TrapKind> = new Map<string, TrapKind>([
  ['цель', 'goals'],
  ['задача', 'tasks'],
  ['программа', 'programme'],
  ['повестка', 'agenda'],
  ['секция', 'sections'],
  ['площадка', 'sections'],
  ['проблема', 'problems'],
  ['трудность', 'problems'],
  ['риск', 'problems'],
  ['дефицит', 'problems'],
  ['включать', 'programme'],
  ['порядок', 'programme'],
  ['форма', 'programme'],
  ['ссылка', 'links'],
  ['контакт', 'links'],
  ['отмечать', 'observations'],
  ['отметить', 'observations'],
  ['констатировать', 'observations'],
  ['подчеркнуть', 'observations'],
  ['обсудить', 'observations'],
  ['обсуждаться', 'observations'],
  ['рассмотреть', 'observations'],
  ['выявить', 'observations'],
  ['определить', 'observations'],
  ['участие', 'participants'],
  ['участник', 'participants'],
  ['состав', 'participants'],
  ['выступить', 'speakers'],
  ['выступление', 'speakers'],
  ['доклад', 'speakers'],
  ['спикер', 'speakers'],
  ['докладчик', 'speakers'],
  ['модератор', 'speakers'],
  ['эксперт', 'speakers'],
  ['достижение', 'results'],
  ['результат', 'results'],
  ['достигнуть', 'results'],
  ['достичь', 'results'],
  ['план', 'plans'],
  ['планироваться', 'plans'],
  ['планировать', 'plans'],
  ['запланировать', 'plans'],
  ['предстоять', 'plans'],
  ['направление', 'topics'],
  ['тема', 'topics'],
  ['тематика', 'topics'],
  ['вопрос', 'topics'],
  ['приложение', 'appendix'],
]);

/** Plans ("в рамках проекта планируется:") are never recommendations, whatever else the lead-in says. */
export const PLAN_LEMMAS = new Set(['планироваться', 'планировать', 'запланировать', 'предстоять']);

/** Verbs that frame a recommendation rather than state its action: "Рекомендовать X подготовить …". */
export const FRAMING_LEMMAS = new Set([
  'рекомендовать',
  'предложить',
  'предлагать',
  'поручить',
  'поручать',
  'просить',
  'попросить',
  'считать',
  'признать',
  'обратиться',
  'призвать',
  'призывать',
  'пригласить',
  'приглашать',
  'требовать',
  'потребовать',
  'рекомендоваться',
  'предлагаться',
  'поручаться',
]);

/** Framing verbs that take their addressee in the accusative ("призываем руководителей …"), not the dative. */
export const ACCUSATIVE_FRAMING = new Set(['просить', 'попросить', 'призвать', 'призывать', 'пригласить', 'приглашать']);

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

/** Lines that close the operative part: signatures, adoption notes. */
/** Closing lines; a dative («Оргкомитету:», «Председателю …», «Секретарю …») addresses someone instead. */
export const END_RE = /^(?:резолюция\s+принята|(?:обращение|решение|рекомендации|предложения)\s+принят\p{L}*|принят[аоы]?\s+(?:на|единогласно)|председател(?!ю|ям)\p{L}*|секретар(?:ь(?!\p{L})|иат)|оргкомитет(?!у|ам)|подписи?(?!\p{L})|дата\s+принятия|голосовали|итоги\s+голосования)/iu;

/** The appendix: everything after it is reference material, not decisions. */
export const APPENDIX_RE = /^(?:приложение|приложения)(?!\p{L})(?:\s*(?:№\s*)?[\dIVX]+)?/iu;

/** Web-page furniture around a news article. */
export const NOISE_RE = /^(?:фото(?:графия)?|источник|автор|поделиться|просмотр\p{L}*|теги|метки|читайте\s+также|комментари\p{L}*|нравится|распечатать|версия\s+для\s+печати|главная(?:\s*[/›>»|]|$))(?!\p{L})/iu;

/**
 * Nouns that head an addressee: bodies and groups of people (headings in the nominative,
 * rules/headings.ts; the object of "обратиться к …", verb.ts).
 */
export const ADDRESSEE_HEAD_LEMMAS = new Set([
  'орган', 'организация', 'учреждение', 'министерство', 'департамент', 'управление', 'комитет', 'администрация',
  'правительство', 'институт', 'университет', 'академия', 'центр', 'школа', 'гимназия', 'лицей', 'колледж', 'техникум',
  'сад', 'служба', 'объединение', 'ассоциация', 'совет', 'агентство', 'фонд', 'отдел', 'кафедра', 'вуз',
  'педагог', 'учитель', 'руководитель', 'родитель', 'семья', 'специалист', 'работник', 'воспитатель', 'психолог',
  'логопед', 'дефектолог', 'методист', 'директор', 'заместитель', 'участник', 'сообщество', 'общественность',
  'студент', 'обучающийся', 'молодёжь', 'молодежь', 'наставник', 'тьютор', 'сми', 'средство', 'редакция',
]);
