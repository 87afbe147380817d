import { defineRule } from './registry.js';

export const ITEM_OPERATIVE = defineRule({
  id: 'item.operative',
  family: 'headings',
  role: 'item',
  summary: 'A list item in the operative part is one recommendation, whatever its form; lines that continue it (hard wraps) belong to it.',
  example: '- обеспечить повышение квалификации учителей-логопедов;',
});

export const ITEM_NOMINAL = defineRule({
  id: 'nominal.item',
  family: 'nominal',
  role: 'item',
  summary: 'A verbless item under an operative lead-in ("Считать целесообразным:", "Предложения:") is a recommendation with verb null and form nominal.',
  example: '– создание на базе опорных школ муниципальных ресурсных центров;',
});

export const INFINITIVE_LIST = defineRule({
  id: 'item.infinitive-list',
  family: 'headings',
  role: 'item',
  summary: 'A list outside any recognised operative part counts when most of its items open with an infinitive or an imperative ("1. Продолжить …", "2. Развивать …"): numbered proposals without a heading. Found by a weak cue, so the document is marked for review.',
  example: '1. Продолжить работу по внедрению ФГОС.\n2. Развивать сетевые формы взаимодействия.',
  thresholds: {
    share: { value: 0.6, origin: 'seg-1: lists of goals and problems in the samples open with nouns (0 of 6 and 0 of 7 infinitive-led); proposal lists 4 of 4; 0.6 tolerates one nominal item in a list of three' },
    minItems: { value: 2, origin: 'one infinitive after an unknown lead-in is too little evidence, except directly under it' },
  },
});

export const ITEM_EVALUATIVE = defineRule({
  id: 'item.evaluative',
  family: 'headings',
  role: 'evaluative',
  summary: 'Items that praise or record ("одобрить опыт …", "отметить …", "принять к сведению", "признать работу удовлетворительной") are not recommendations.',
  example: '3.1. Информацию принять к сведению.',
});

export const ITEM_STATEMENT = defineRule({
  id: 'item.statement',
  family: 'headings',
  role: 'narrative',
  summary: 'A list item without an infinitive whose opening words hold a finite verb ("Резолюция направляется в органы …", "Работа продолжается …") states a fact; a nominal proposal ("Создание …", "Разработку …") has no finite verb before its first comma.',
  example: '3.1. Резолюция направляется в органы управления образованием субъектов ДФО.',
});

export const ITEM_URL = defineRule({
  id: 'item.url',
  family: 'traps',
  role: 'trap',
  summary: 'A line that is only a link (possibly after a label with a colon) is not a recommendation.',
  example: 'Секция «Диспетчерское консультирование»: https://vk.com/…',
});

export const ITEM_CONTROL = defineRule({
  id: 'item.control',
  family: 'traps',
  role: 'trap',
  summary: 'The control clause of a decision ("Контроль за исполнением решения возложить на …") assigns oversight of the document itself; it proposes nothing and is not a recommendation.',
  example: '3. Контроль за исполнением решения возложить на заместителя начальника управления образования.',
});

export const PARAGRAPH_FRAMING = defineRule({
  id: 'paragraph.framing',
  family: 'headings',
  role: 'item',
  summary: 'A sentence with a present-tense framing verb and an operative verb of its own ("Участники семинара рекомендуют органам … обеспечить …") is a recommendation wherever it stands; a past tense ("рекомендовали расширить") reports an earlier one.',
  example: 'Участники семинара рекомендуют муниципальным органам управления образованием активизировать работу с одарёнными детьми.',
});

export const PARAGRAPH_OPERATIVE = defineRule({
  id: 'paragraph.operative',
  family: 'capitals',
  role: 'item',
  summary: 'Inside the operative part an unmarked paragraph that opens with its operative verb (infinitive, imperative, "Рекомендовать …", "Необходимо …") is one recommendation (items as paragraphs under a capitals heading).',
  example: 'УПРАВЛЕНИЮ ОБРАЗОВАНИЯ …\n\nРассмотреть возможность увеличения ставок педагогов-психологов …',
});

export const PARAGRAPH_NARRATIVE = defineRule({
  id: 'paragraph.narrative',
  family: 'headings',
  role: 'narrative',
  summary: 'A paragraph that neither opens the operative part nor makes a proposal is narrative (the preamble before the operative part).',
  example: 'В работе конференции приняли участие более 200 педагогов.',
});

export const PREAMBLE_CLAUSE = defineRule({
  id: 'paragraph.preamble-clause',
  family: 'traps',
  role: 'narrative',
  summary: 'A paragraph opened by a gerund of the preamble («учитывая», «признавая», «отмечая», «принимая во внимание» …) is a clause of the sentence whose verb comes later («Участники форума, … предлагают:»), even when it holds an infinitive («признавая необходимость обеспечить …»); only a clause after its comma that starts with an infinitive («Учитывая опыт региона, создать …») makes it a proposal.',
  example: 'учитывая, что федеральные программы воспитания требуют обновить содержание работы классного руководителя;',
});

/** The gerunds a preamble clause opens with. */
export const PREAMBLE_GERUND_RE = /^(?:учитывая|признавая|отмечая|принимая\s+во\s+внимание|подч[её]ркивая|выражая|понимая|осознавая|сознавая|руководствуясь|исходя\s+из|констатируя|приветствуя|(?:высоко\s+)?оценивая|опираясь|основываясь|ссылаясь|придавая|подтверждая|поддерживая|разделяя|имея\s+в\s+виду|будучи)(?!\p{L})/iu;

export const TRAP_ENDS = defineRule({
  id: 'trap.narrative-ends',
  family: 'traps',
  role: 'narrative',
  summary: 'A narrative paragraph (capitalised, not an item) after a trap list ends that list.',
  example: 'Задачи: … (list) … В конференции приняли участие 120 педагогов.',
});

export const TITLE_LINE = defineRule({
  id: 'heading.title-line',
  family: 'capitals',
  role: 'lead-in',
  summary: 'A short line naming the operative part ("РЕКОМЕНДАЦИИ", "Предложения участников") opens it; at the very top of the document, before any narrative, it is the document\'s title instead.',
  example: 'РЕКОМЕНДАЦИИ',
  thresholds: { words: { value: 5, origin: 'seg-2: section titles of the genre have 1–4 words ("Предложения участников конференции")' } },
});

export const TRIGGER_SENTENCE = defineRule({
  id: 'heading.trigger-sentence',
  family: 'headings',
  role: 'lead-in',
  summary: 'A short sentence with a framing verb and nothing to do ("Конференция рекомендует") opens the operative part; headings or lists follow.',
  example: 'Конференция рекомендует',
});

export const CAPITALS_ADDRESSEE = defineRule({
  id: 'capitals.addressee',
  family: 'capitals',
  role: 'addressee',
  summary: 'A line in capitals without a colon whose first word is a dative ("УПРАВЛЕНИЮ ОБРАЗОВАНИЯ …") is an addressee heading, also over unmarked paragraphs.',
  example: 'РУКОВОДИТЕЛЯМ ОБРАЗОВАТЕЛЬНЫХ ОРГАНИЗАЦИЙ',
});

export const PLAIN_ADDRESSEE = defineRule({
  id: 'heading.addressee-line',
  family: 'headings',
  role: 'addressee',
  summary: 'In the operative part, a short line without punctuation or verb that opens with a dative ("Руководителям общеобразовательных организаций", a bold heading that lost its bold) over unmarked lines that open with an infinitive is their addressee heading; when the reader joined it to the first of them (no blank line between), it is cut off.',
  example: 'Руководителям общеобразовательных организаций / обеспечить прохождение курсов …; / предусмотреть ставки тьюторов.',
});

export const BARE_HEADING = defineRule({
  id: 'heading.bare',
  family: 'headings',
  role: 'addressee',
  summary: 'A short unpunctuated line directly over a list (bold or plain) is a heading; its role is decided like a colon heading\'s.',
  example: '**Педагогическим работникам**',
});

export const RUNON_INLINE_HEADING = defineRule({
  id: 'runon.inline-heading',
  family: 'run-on',
  role: 'addressee',
  summary: 'A paragraph or numbered item "Addressee: proposal; proposal; …" — the part before the first top-level colon is the addressee (or trigger) heading, the rest its items; "addressee_raw" keeps the numbering.',
  example: '2. Институту развития образования: организовать стажировки …; разработать методические рекомендации …',
  thresholds: { colonAt: { value: 200, origin: 'an addressee phrase is shorter than 200 characters (the longest in the samples and fixtures: 112); a later colon introduces a quotation or a list' } },
});

export const RUNON_SEMICOLONS = defineRule({
  id: 'runon.semicolons',
  family: 'run-on',
  role: 'item',
  summary: 'A block whose top-level ";" parts mostly open with their own operative verb is split there: each part is one recommendation. Otherwise the semicolons join clauses of one recommendation.',
  example: 'обеспечить подвоз обучающихся; организовать летний отдых детей; продолжить работу …',
  thresholds: { share: { value: '2/3', origin: 'seg-1: run-on paragraphs of the synthetic generator and samples have every part infinitive-led; an item with a list of objects after ";" has at most one' } },
});

export const NESTED_HEADING = defineRule({
  id: 'nested.heading-splits',
  family: 'nested',
  role: 'addressee',
  summary: 'A numbered line that only names an addressee or a lead-in ("1. Органам управления образованием:", "3. Считать целесообразным:") is a heading: each sub-item under it is a recommendation of its own.',
  example: '1. Органам управления образованием:\nа) обеспечить …;\nб) создать …',
});

export const NESTED_PARENT = defineRule({
  id: 'nested.parent-keeps',
  family: 'nested',
  role: 'item',
  summary: 'A line that has an operative verb of its own and ends with ":" ("2. Обеспечить:", "Руководителям школ обеспечить:") is one recommendation together with its sub-items, which complete its sentence. The sub-items end at an item of the parent\'s own numbering or of the addressee heading\'s above it (p7d: "2. Общеобразовательным организациям:" after "1.3. Предусмотреть …: а) …").',
  example: '2. Обеспечить:\n– подготовку кадров;\n– оснащение кабинетов.',
});

export const NESTED_SCOPE = defineRule({
  id: 'nested.scope-ends',
  family: 'nested',
  role: 'item',
  summary: 'A numbered addressee heading covers only its own sub-items: the next item numbered like the heading ("5." after "4. Педагогическим работникам:" with dash sub-items) is back at the level of the lead-in.',
  example: '4. Педагогическим работникам:\n– …\n5. Продолжить работу по: …',
});

export const CLOSING_LINE = defineRule({
  id: 'closing.end-line',
  family: 'long',
  role: 'closing',
  summary: 'Adoption notes, votes and signatures ("Резолюция принята единогласно", "Голосовали: …", "Председатель …") close the operative part.',
  example: 'Резолюция принята единогласно.',
});

export const CLOSING_APPENDIX = defineRule({
  id: 'closing.appendix',
  family: 'long',
  role: 'appendix',
  summary: 'Everything from "Приложение" on is reference material (lists of participants, programmes, plans), not the resolution\'s decisions.',
  example: 'Приложение 1. Список школ — участников проекта.',
});

export const DATELINE = defineRule({
  id: 'colon.dateline',
  family: 'colons',
  role: 'preamble',
  summary: 'A place-and-date line ("Москва, 12 марта 2024 г.", "г. Киров, 14 февраля 2024 г.") is part of the header, never a heading.',
  example: 'г. Оренбург, 12 марта 2024 г.',
});

export const PARAGRAPH_ANNOUNCEMENT = defineRule({
  id: 'paragraph.announcement',
  family: 'capitals',
  role: 'lead-in',
  summary: 'A sentence that only announces the list below it ("… считают необходимым предложить следующее.", "… приняли следующие рекомендации.") — a trigger word and "следующее/нижеследующие …" at its end — opens the operative part; it is not a recommendation itself. Not when it reports an earlier resolution ("ранее", "в прошлом году").',
  example: 'Обсудив доклады и выступления, участники круглого стола считают необходимым предложить следующее.',
  thresholds: { words: { value: 3, origin: 'p7d: after "следующ…" an announcement names at most what follows ("следующие рекомендации органам власти"); a longer tail is the proposal itself' } },
});

/**
 * The end of an announcing sentence: "следующее", "нижеследующее", "следующие рекомендации (…)",
 * "перечисленные ниже меры", with at most three words after the announcing word, before "." or ":".
 */
export const ANNOUNCEMENT_END_RE =
  /(?=[снпи])(?<!\p{L})(?:(?:ниже)?следующ\p{L}*|нижеперечисленн\p{L}*|(?:перечисленн|изложенн|приведённ|приведенн)\p{L}*\s+ниже)(?:\s+[\p{L}-]+){0,3}\s*[.:]?\s*$/iu;

export const TITLE_OVER_HEADING = defineRule({
  id: 'runon.title-over-heading',
  family: 'run-on',
  role: 'narrative',
  summary: 'An unpunctuated line ("Решение секции 1 «Родительское просвещение»") directly above a line that opens with a dative addressee and its inline heading mark ("Министерству … — рассмотреть …") is a title of its own, not a hard wrap of that line.',
  example: 'Решение секции 1 «Родительское просвещение»\nМинистерству образования … — рассмотреть возможность …',
});

export const SECTION_TITLE = defineRule({
  id: 'heading.section-title',
  family: 'long',
  role: 'lead-in',
  summary: 'A numbered line that titles a section — in capitals, or after a Roman numeral, unpunctuated, without an infinitive ("II. ЗАДАЧИ КОНФЕРЕНЦИИ", "IV. РЕКОМЕНДАЦИИ", "V. ЗАКЛЮЧИТЕЛЬНЫЕ ПОЛОЖЕНИЯ") — is not a list item: it is read like a heading (trap, lead-in, or a section that ends the list before it). Addressee titles are left to the heading rules.',
  example: 'II. ЗАДАЧИ КОНФЕРЕНЦИИ\n1. Проанализировать состояние сети сельских школ …',
  thresholds: { words: { value: 8, origin: 'p7d: section titles of the genre have 1–5 words ("III. УЧАСТНИКИ КОНФЕРЕНЦИИ ОТМЕЧАЮТ"); 8 leaves room, a longer line is an item' } },
});

export const WRAPPED_HEADING = defineRule({
  id: 'heading.wrapped',
  family: 'headings',
  role: 'addressee',
  summary: 'An addressee heading wrapped before its last words ("Департаменту образования и науки" / "Курганской области:") is one heading: the first line opens with a dative and is unpunctuated, the second follows without a blank line, ends with ":" and opens with a word that can only continue a noun phrase (a genitive).',
  example: 'Департаменту образования и науки\nКурганской области:',
});
