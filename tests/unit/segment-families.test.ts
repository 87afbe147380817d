/**
 * The layout families of issue 12, each on a short document of its own (not the fixtures the rules
 * were developed on): what is taken, with which addressee, verb, form, responsible and deadline.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import type { Morph } from '../../pipeline/text/morph.js';
import { normaliseText } from '../../pipeline/text/normalise.js';
import { segmentResolution, type Segmentation } from '../../pipeline/segment/segment.js';
import { testMorph } from '../helpers/morph.js';

let morph: Morph;
beforeAll(async () => {
  morph = await testMorph();
});

const seg = (raw: string): Segmentation => segmentResolution(normaliseText(raw), morph);
const texts = (s: Segmentation) => s.recommendations.map((r) => r.text);

function offsetsHold(raw: string, s: Segmentation) {
  const text = normaliseText(raw);
  for (const r of s.recommendations) expect(text.slice(r.charStart, r.charEnd).replace(/\s+/g, ' ').trim()).toBe(r.text);
}

describe('inline numbering', () => {
  it('splits "решили: 1) …; 2) …" into items and drops the evaluative one', () => {
    const raw = 'РЕЗОЛЮЦИЯ семинара\n\nВ семинаре участвовали 40 педагогов района.\n\nУчастники семинара решили: 1) одобрить опыт школы № 3; 2) провести в мае районный фестиваль школьных театров; 3) методистам районного кабинета подготовить сборник сценариев. Резолюция принята единогласно.\n';
    const s = seg(raw);
    expect(texts(s)).toEqual(['провести в мае районный фестиваль школьных театров', 'методистам районного кабинета подготовить сборник сценариев']);
    expect(s.recommendations[1].addressee).toBe('Методисты районного кабинета');
    offsetsHold(raw, s);
  });

  it('does not split a sentence at a reference "п. 2)" or at a list of stages', () => {
    const s = seg('Проект реализуется в 2 этапа: 1) подготовительный; 2) основной.\n\nРекомендовать школам провести анкетирование родителей.\n');
    expect(texts(s)).toEqual(['Рекомендовать школам провести анкетирование родителей']);
  });
});

describe('nominal items', () => {
  it('takes verbless items under an operative lead-in with verb null and form nominal', () => {
    const s = seg('Участники совещания считают целесообразным:\n– открытие логопедических пунктов в сельских школах;\n– организацию выездных консультаций специалистов ПМПК.\n');
    expect(texts(s)).toEqual(['открытие логопедических пунктов в сельских школах', 'организацию выездных консультаций специалистов ПМПК']);
    expect(s.recommendations.map((r) => [r.verb, r.form])).toEqual([[null, 'nominal'], [null, 'nominal']]);
    expect(s.verdict).toBe('review');
    expect(s.reviewReasons).toContain('items without verbs');
  });

  it('tells the forms apart: infinitive, imperative, sentence', () => {
    const s = seg('Предложения:\n- разработать программу наставничества;\n- Обеспечьте участие родителей в работе советов;\n- Школам следует шире использовать сетевые формы.\n');
    expect(s.recommendations.map((r) => [r.form, r.verb])).toEqual([
      ['infinitive', 'разработать'],
      ['imperative', 'обеспечить'],
      ['sentence', 'использовать'],
    ]);
  });
});

describe('appeals', () => {
  it('takes the addressee from the lead-in, in the dative after "к" and in the accusative after "призываем"', () => {
    const s = seg('Обращаемся к главам муниципальных районов с просьбой:\n- сохранить подвоз детей к базовым школам.\n\nПризываем директоров школ:\n- открывать семейные клубы.\n');
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Главы муниципальных районов', 'Директора школ']);
  });

  it('"обратиться к" names an addressee only when it names a person or a body, not what to turn to', () => {
    const s = seg('Рекомендовать:\n\nМуниципальным органам управления образованием:\n– обратиться к опыту коллег из Альметьевского района по созданию школы молодого учителя;\n– обратиться к Губернатору области с предложением учредить премию наставникам;\n– обратиться к родителям с просьбой поддержать проект.\n');
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Муниципальные органы управления образованием', 'Губернатор области', 'Родители']);
  });

  it('a framing sentence with its own subject after an addressee\'s list is not under that addressee', () => {
    const s = seg('Рекомендовать:\n\nИнституту развития образования:\n– подготовить методические рекомендации по наставничеству.\n\nСеминар считает необходимым продолжить обсуждение темы на августовском совещании.\n\nПринято единогласно.\n');
    expect(texts(s)).toEqual(['подготовить методические рекомендации по наставничеству', 'Семинар считает необходимым продолжить обсуждение темы на августовском совещании']);
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Институт развития образования', null]);
  });

  it('a paragraph «Адресату (пояснение) … — сделать …» is addressed like its neighbours; each one proposal is its whole paragraph or item', () => {
    const s = seg('Участники рекомендуют:\n\nМинистерству просвещения — рассмотреть возможность мониторинга ранней помощи.\n\nРодителям (законным представителям) детей с ОВЗ — активнее участвовать в работе родительских клубов.\n\n1. Родителям (законным представителям) одарённых детей — активнее поддерживать участие детей в олимпиадах.\n');
    expect(texts(s)).toEqual([
      'Министерству просвещения — рассмотреть возможность мониторинга ранней помощи',
      'Родителям (законным представителям) детей с ОВЗ — активнее участвовать в работе родительских клубов',
      'Родителям (законным представителям) одарённых детей — активнее поддерживать участие детей в олимпиадах',
    ]);
    expect(s.recommendations.map((r) => r.addressee)).toEqual([
      'Министерство просвещения',
      'Родители (законные представители) детей с ОВЗ',
      'Родители (законные представители) одарённых детей',
    ]);
  });

  it('splits a second-person appeal into its requests, addressed to the vocative', () => {
    const s = seg('Дорогие родители! Мы знаем, как вы заняты. Просим вас приходить на школьные праздники. Призываем вас читать детям вслух.\n');
    expect(texts(s)).toEqual(['Просим вас приходить на школьные праздники', 'Призываем вас читать детям вслух']);
    expect(s.recommendations.every((r) => r.addressee === 'Родители' && r.form === 'sentence')).toBe(true);
    expect(s.recommendations.map((r) => r.verb)).toEqual(['приходить', 'читать']);
  });

  it('an appeal "к вам" speaks to the vocative above it; imperatives are requests, a closing wish is not', () => {
    const s = seg('Дорогие мамы и папы!\n\nЛетом дети много времени проводят на улице.\n\nМы обращаемся к вам с просьбой:\n- не отпускайте детей к воде одних;\n- установите на телефон ребёнка приложение родительского контроля.\n\nБерегите своих детей!\n');
    expect(texts(s)).toEqual(['не отпускайте детей к воде одних', 'установите на телефон ребёнка приложение родительского контроля']);
    expect(s.recommendations.map((r) => [r.addressee, r.form, r.verb])).toEqual([
      ['Мамы и папы', 'imperative', 'отпускать'],
      ['Мамы и папы', 'imperative', 'установить'],
    ]);
  });

  it('an appeal run in after its title («Обращение к родителям. Уважаемые родители! Приглашаем вас …») speaks to the vocative', () => {
    const s = seg('Участники форума приняли следующие решения:\n\n1. Рекомендовать руководителям детских садов обеспечить наличие в штате учителя-логопеда.\n\nОбращение к родителям. Уважаемые родители! Приглашаем вас активнее участвовать в работе консультационных центров.\n');
    expect(s.recommendations.map((r) => [r.text, r.addressee])).toEqual([
      ['Рекомендовать руководителям детских садов обеспечить наличие в штате учителя-логопеда', 'Руководители детских садов'],
      ['Приглашаем вас активнее участвовать в работе консультационных центров', 'Родители'],
    ]);
  });

  it('an invitation to an event is not a request', () => {
    expect(seg('Приглашаем вас принять участие в областном семинаре 12 мая 2025 года.\n').recommendations).toEqual([]);
  });
});

describe('commitments and compound addressees', () => {
  it('«Мы, со своей стороны, обязуемся:» after an appeal to parents: the participants\' own commitments, no addressee', () => {
    const s = seg('Уважаемые родители!\n\nПросим вас:\n— читать вместе с детьми;\n— участвовать в жизни школы.\n\nМы, со своей стороны, обязуемся:\n— проводить открытые родительские лектории;\n— создать сообщество «Родители Вологодчины».\n');
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Родители', 'Родители', null, null]);
    expect(seg('Участники форума обязуются:\n— проводить открытые лектории;\n— создать сообщество родителей.\n').recommendations).toHaveLength(2);
  });

  it('a reminder after the requests («Помните: ваш пример — главный урок …») closes the appeal; «Помните о безопасности детей» in the list is a request', () => {
    const s = seg('Уважаемые родители!\n\nПросим вас:\n— читать вместе с детьми;\n— помните о безопасности детей на воде.\n\nПомните: ваш пример — главный урок для ваших детей.\n');
    expect(texts(s)).toEqual(['читать вместе с детьми', 'помните о безопасности детей на воде']);
  });

  it('a nominative heading that names a compound kind («Педагоги-психологи и социальные педагоги:») is an addressee', () => {
    const s = seg('Участники конференции рекомендуют:\n\nРуководители образовательных организаций:\n- включить в планы мониторинг.\n\nПедагоги-психологи и социальные педагоги:\n- проводить консультации для родителей.\n');
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Руководители образовательных организаций', 'Педагоги-психологи и социальные педагоги']);
  });
});

describe('section headings', () => {
  const doc = (title: string) => `По итогам работы секций участники конференции вносят следующие предложения.\n\n${title}\n\n1. Министерству образования области рассмотреть возможность увеличения числа ставок тьюторов.\n2. Организовать сетевое объединение учителей-дефектологов.\n\nСекция 2. «Семья и школа»\n\n1. Включить в планы работы школ родительские университеты.\n`;
  it('the name of one section («Секция 1. «…»», «Секция «…»», «Площадка № 1») over its proposals is not a lead-in to a list of sections', () => {
    for (const title of ['Секция 1. «Инклюзивная практика: от идеи к результату»', 'Секция «Инклюзивная практика»', 'Площадка № 1. Инклюзия']) {
      const s = seg(doc(title));
      expect(texts(s), title).toEqual([
        'Министерству образования области рассмотреть возможность увеличения числа ставок тьюторов',
        'Организовать сетевое объединение учителей-дефектологов',
        'Включить в планы работы школ родительские университеты',
      ]);
    }
  });
  it('a lead-in naming the sections is still a trap', () => {
    expect(seg('Участники конференции рекомендуют:\n\n1. Создать ресурсные классы.\n\nСекции конференции:\n- «Инклюзия»;\n- «Одарённость».\n').recommendations).toHaveLength(1);
  });
});

describe('numbered sections', () => {
  it('«I. ОБЩИЕ ПОЛОЖЕНИЯ» run into its paragraph does not take «II. РЕКОМЕНДАЦИИ» and the proposals under it into one list outside the operative part', () => {
    const s = seg('РЕЗОЛЮЦИЯ\nконференции\n\nI. ОБЩИЕ ПОЛОЖЕНИЯ\nКонференция проведена институтом. В конференции приняли участие 380 специалистов.\n\nII. РЕКОМЕНДАЦИИ\n3.1. Министерству просвещения Российской Федерации:\n3.1.1. рассмотреть возможность разработки типовой программы;\n3.1.2. предусмотреть финансирование служб ранней помощи.\n3.2. Рекомендовать вузам включить в программы модуль по ранней помощи.\n');
    expect(s.recommendations.map((r) => [r.text, r.addressee])).toEqual([
      ['рассмотреть возможность разработки типовой программы', 'Министерство просвещения Российской Федерации'],
      ['предусмотреть финансирование служб ранней помощи', 'Министерство просвещения Российской Федерации'],
      ['Рекомендовать вузам включить в программы модуль по ранней помощи', 'Вузы'],
    ]);
  });
});

describe('header lines', () => {
  it('a header line of fields («г. Ставрополь, 19 октября 2023 года. Формат проведения: очный …») is not an addressee heading over an item', () => {
    const s = seg('Резолюция краевого форума педагогов\n\nг. Ставрополь, 19 октября 2023 года. Формат проведения: очный с трансляцией. Участники: свыше 350 человек.\n\nУчастники форума приняли следующие решения:\n\n1. Рекомендовать руководителям детских садов обеспечить наличие в штате учителя-логопеда.\n');
    expect(texts(s)).toEqual(['Рекомендовать руководителям детских садов обеспечить наличие в штате учителя-логопеда']);
    // one sentence before the colon is still a heading
    expect(seg('Участники форума рекомендуют:\n\nМинистерству образования края: рассмотреть вопрос о ставках логопедов.\n').recommendations.map((r) => r.addressee)).toEqual(['Министерство образования края']);
  });
});

describe('protocol decisions', () => {
  const raw = 'ПРОТОКОЛ № 2\n\nСЛУШАЛИ: директора о подготовке к лету. Предложила организовать лагерь.\nПОСТАНОВИЛИ:\n1. Организовать пришкольный лагерь с дневным пребыванием.\nОтветственный: заместитель директора по ВР Петрова А.С.\nСрок: до 25.05.2025.\n2. Информацию принять к сведению.\n';
  it('keeps "Ответственный:" and "Срок:" lines in their item and extracts them', () => {
    const s = seg(raw);
    expect(texts(s)).toEqual(['Организовать пришкольный лагерь с дневным пребыванием. Ответственный: заместитель директора по ВР Петрова А.С. Срок: до 25.05.2025']);
    expect(s.recommendations[0]).toMatchObject({ responsible: 'заместитель директора по ВР Петрова А.С.', deadline: '2025-05-25', deadlineText: 'до 25.05.2025' });
    offsetsHold(raw, s);
  });

  it('«РЕШИЛИ: Одобрить опыт … . Руководителям … заключить … Срок: …»: the decision is what follows the approval', () => {
    const raw = 'СЛУШАЛИ: директора СОШ № 3 об опыте сетевого взаимодействия.\nРЕШИЛИ: Одобрить опыт МКОУ «СОШ № 3» по сетевому взаимодействию. Руководителям общеобразовательных организаций заключить соглашения с предприятиями района\nи включить профессиональные пробы в планы внеурочной деятельности. Срок: до 1 марта 2025 г.\nГолосовали: «за» — единогласно.\n';
    const s = seg(raw);
    expect(texts(s)).toEqual(['Руководителям общеобразовательных организаций заключить соглашения с предприятиями района и включить профессиональные пробы в планы внеурочной деятельности. Срок: до 1 марта 2025 г']);
    expect(s.recommendations[0]).toMatchObject({ addressee: 'Руководители общеобразовательных организаций', verb: 'заключить', deadline: '2025-03-01' });
    offsetsHold(raw, s);
    // An approval alone is no decision to act.
    expect(seg('РЕШИЛИ: Одобрить опыт МКОУ «СОШ № 3» по сетевому взаимодействию. Информацию принять к сведению.\n').recommendations).toEqual([]);
  });

  it('a deadline without a day keeps its wording and has no date', () => {
    const s = seg('РЕШИЛИ:\n1. Провести родительский лекторий (ответственный – социальный педагог, срок – в течение года).\n');
    expect(s.recommendations[0]).toMatchObject({ responsible: 'социальный педагог', deadline: null, deadlineText: 'в течение года' });
  });
});

describe('nested sub-items', () => {
  it('splits under a heading that only names the addressee, keeps a parent with its own verb whole', () => {
    const s = seg('Рекомендовать:\n1. Управлению образования:\nа) создать ресурсный класс;\nб) организовать подвоз.\n2. Директорам школ обеспечить:\n– подготовку кадров;\n– оснащение кабинетов.\n3. Провести конференцию в 2026 году.\n');
    expect(texts(s)).toEqual([
      'создать ресурсный класс',
      'организовать подвоз',
      'Директорам школ обеспечить: - подготовку кадров; - оснащение кабинетов',
      'Провести конференцию в 2026 году',
    ]);
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Управление образования', 'Управление образования', 'Директора школ', null]);
  });
});

describe('second-level bullets', () => {
  const RESOURCE = 'создать ресурсные центры ранней помощи';
  const FUNDING = 'предусмотреть финансирование служб ранней помощи';
  it.each([
    [
      "Word's «o» bullets under a «•» item ending in «в том числе:» complete that item; the next «•» is an item again",
      `Участники рекомендуют:\n\nОрганам управления образованием:\n• ${RESOURCE};\n• обеспечить подготовку специалистов, в том числе:\n   o логопедов;\n   o специалистов по адаптивной физической культуре;\n• ${FUNDING}.\n`,
      'обеспечить подготовку специалистов, в том числе: o логопедов; o специалистов по адаптивной физической культуре',
    ],
    [
      'sub-items whose markers a PDF dropped: lower-case fragments complete the parent, a line with its own verb does not',
      `Органам управления образованием:\n\n${RESOURCE};\n\nобеспечить подготовку специалистов, в том числе:\n\nлогопедов;\n\nспециалистов по адаптивной физической культуре;\n\n${FUNDING}.\n`,
      'обеспечить подготовку специалистов, в том числе: логопедов; специалистов по адаптивной физической культуре',
    ],
  ])('%s', (_name, raw, parent) => {
    const s = seg(raw);
    expect(texts(s)).toEqual([RESOURCE, parent, FUNDING]);
    expect(new Set(s.recommendations.map((r) => r.addressee))).toEqual(new Set(['Органы управления образованием']));
    offsetsHold(raw, s);
  });

  it('hollow circles «◦», and «o» with a tab before a capital, are that level too', () => {
    for (const glyph of ['◦ ', 'o\t']) {
      const raw = `Органам управления образованием:\n• обеспечить подготовку специалистов, в том числе:\n${glyph}Логопедов;\n${glyph}дефектологов;\n• ${FUNDING}.\n`;
      expect(seg(raw).recommendations.map((r) => r.text.replace(/\s+/g, ' '))).toEqual(['обеспечить подготовку специалистов, в том числе: o Логопедов; o дефектологов', FUNDING]);
    }
  });
});

describe('news articles', () => {
  const raw = 'Новости\n\nВ Сочи прошёл форум вожатых\n\n12.06.2024, 09:15\n\nФорум «Лето с пользой» прошёл в Сочи 7 июня. «Мы рады видеть столько молодых вожатых», — сказал директор лагеря.\n\nУчастники призвали руководителей лагерей увеличить число смен для подростков и рекомендовали колледжам включить практику вожатых в учебные планы.\n\n«Обеспечить страхование вожатых за счёт организаторов смен», — говорится в резолюции.\n\nФото: пресс-служба\n';
  it('marks the document as news and takes quoted and reported proposals without attribution', () => {
    const s = seg(raw);
    expect(s.sourceKind).toBe('news');
    expect(texts(s)).toEqual([
      'руководителей лагерей увеличить число смен для подростков',
      'колледжам включить практику вожатых в учебные планы',
      'Обеспечить страхование вожатых за счёт организаторов смен',
    ]);
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Руководители лагерей', 'Колледжи', null]);
    offsetsHold(raw, s);
  });

  it('a decision reported as «было решено» / «решили» is taken too, not an earlier one', () => {
    const s = seg('Новости\n\nВ Твери обсудили одарённость\n\n12 ноября 2024, 16:40\n\nВ Твери 11 ноября прошёл круглый стол «Одарённость». Участники предложили создать онлайн-школу олимпиадной подготовки.\n\nКроме того, было решено ежегодно проводить педагогические чтения «Талант и наставник».\n\nВ прошлом году участники решили открыть центр «Сириус».\n\nФото: пресс-служба\n');
    expect(texts(s)).toEqual(['создать онлайн-школу олимпиадной подготовки', 'ежегодно проводить педагогические чтения «Талант и наставник»']);
    expect(s.recommendations.map((r) => r.verb)).toEqual(['создать', 'проводить']);
  });

  it('a headline that announces proposals is not one of them', () => {
    const s = seg('Образование / Новости\n\nЭксперты предложили открыть в школах медиацентры\n\nВ Омске прошёл семинар «Школьные медиа». Участники предложили открыть в каждой школе медиацентр.\n\nФото: пресс-служба\n');
    expect(texts(s)).toEqual(['открыть в каждой школе медиацентр']);
  });

  it('an article with a byline and an official\'s words, quoting the resolution inline «о необходимости «…» и «…»»', () => {
    const raw = 'Педагоги Кузбасса обсудили воспитание\n\n15 ноября 2025 г. | Пресс-служба\n\nВ Новокузнецке 12–13 ноября прошла межрегиональная конференция «Воспитать гражданина».\n\nОткрывая конференцию, проректор института отметила, что воспитательная работа требует от педагога новых компетенций.\n\nПо итогам конференции участники приняли резолюцию. В ней, в частности, говорится о необходимости «разработать региональную программу поддержки школьных музеев» и «включить в программы повышения квалификации модуль по работе с родителями». Кроме того, участники рекомендовали органам управления образованием предусмотреть финансирование советников директора по воспитанию.\n';
    const s = seg(raw);
    expect(s.sourceKind).toBe('news');
    expect(texts(s)).toEqual([
      'разработать региональную программу поддержки школьных музеев',
      'включить в программы повышения квалификации модуль по работе с родителями',
      'органам управления образованием предусмотреть финансирование советников директора по воспитанию',
    ]);
    offsetsHold(raw, s);
    // A quotation after one of the resolution's is not one when prose stands between them.
    expect(texts(seg(raw.replace('» и «включить', '», а директор школы № 5 напомнил: «включить')))).not.toContain('включить в программы повышения квалификации модуль по работе с родителями');
  });

  it('participants who «отметили, что …» do not make a resolution news', () => {
    const s = seg('Резолюция семинара\n\n12 марта 2025 г. | Тверь\n\nУчастники семинара отметили, что наставничество требует поддержки.\n\nРекомендовать школам закрепить наставников.\n');
    expect(s.sourceKind).toBe('resolution');
  });

  it('a resolution that mentions a press service is not news', () => {
    const s = seg('РЕЗОЛЮЦИЯ\nфорума\n\nФото: пресс-служба\n\nРекомендовать школам провести акцию.\n');
    expect(s.sourceKind).toBe('resolution');
  });
});

describe('traps', () => {
  it('skips planned measures even under a lead-in, and results, speakers and links', () => {
    const s = seg('В рамках проекта планируется:\n1. Внедрить модель профпроб.\n2. Создать портал.\nДостигнуты результаты:\n- открыто 12 классов.\nВыступили:\n- Иванов И.И., директор.\nУчастники рекомендуют:\n- расширить сеть профильных классов.\nМатериалы: https://example.ru/a\n');
    expect(texts(s)).toEqual(['расширить сеть профильных классов']);
    const kinds = s.trace.filter((t) => t.role === 'trap').map((t) => t.detail);
    expect(kinds).toEqual(expect.arrayContaining(['plans', 'results', 'speakers']));
  });

  it('names a list by what it holds, not by who noted it: problems the participants noted are problems', () => {
    const s = seg('Участники отметили следующие проблемы:\n– формальный характер наставничества;\n– перегрузка молодых педагогов.\n\nУчастники отметили:\n– рост числа наставников.\n\nУчастники рекомендуют:\n– закреплять наставника за молодым специалистом.\n');
    expect(texts(s)).toEqual(['закреплять наставника за молодым специалистом']);
    const headings = s.trace.filter((t) => t.role === 'trap' && t.rule === 'trap.heading').map((t) => t.detail);
    expect(headings[0]).toBe('problems');
    expect(headings).toContain('observations');
  });

  it('preamble clauses opened by a gerund are not proposals, even with an infinitive inside; a clause after the comma that starts with one is', () => {
    const raw = 'Участники форума,\n\nотмечая возросшую роль классного руководителя;\n\nучитывая, что программы воспитания требуют обновить содержание работы классного руководителя;\n\nпризнавая необходимость обеспечить методическую поддержку молодых классных руководителей, стаж которых менее трёх лет;\n\nвыражая признательность организаторам,\n\nпредлагают:\n\nВключить в программы повышения квалификации модуль по медиации.\n\nУчитывая опыт Костромской области, создать региональный клуб классных руководителей.\n';
    const s = seg(raw);
    expect(texts(s)).toEqual(['Включить в программы повышения квалификации модуль по медиации', 'Учитывая опыт Костромской области, создать региональный клуб классных руководителей']);
    expect(s.trace.filter((t) => t.rule === 'paragraph.preamble-clause')).toHaveLength(4);
  });

  it('a plan adopted by the event is its operative part', () => {
    const s = seg('По итогам семинара утверждён план мероприятий:\n\nМероприятие | Ответственный | Срок\nПровести семинар для тьюторов | ИРО | до 01.03.2025\n');
    expect(texts(s)).toEqual(['Провести семинар для тьюторов']);
  });
});

describe('colons and datelines', () => {
  it('field lines with colons are not addressees, in or out of the operative part', () => {
    const s = seg('г. Тверь, 5 мая 2024 г.\n\nМодератор: Петрова А.А.\nСекция 2: инклюзия: опыт\n\nРекомендовать:\n- провести обучение тьюторов.\nСрок: до 01.09.2024\n- создать банк практик.\n');
    expect(s.recommendations.map((r) => r.addressee)).toEqual([null, null]);
    expect(s.recommendations[0].deadline).toBe('2024-09-01');
  });
});

describe('place lines of the header', () => {
  it('«пгт Шерегеш, Кемеровская область – Кузбасс» and the date under it are the place-and-date line, not an addressee with a proposal', () => {
    for (const place of ['пгт Шерегеш, Кемеровская область – Кузбасс', 'г. Ханты-Мансийск, Ханты-Мансийский автономный округ – Югра', 'ст. Каневская, Краснодарский край']) {
      const s = seg(`РЕЗОЛЮЦИЯ\nфорума молодых педагогов «Старт»\n\n${place}\n22 марта 2024 г.\n\nУчастники форума рекомендуют:\n1. Школам закрепить наставников за молодыми педагогами.\n`);
      expect(texts(s)).toEqual(['Школам закрепить наставников за молодыми педагогами']);
      expect(s.trace.find((t) => t.rule === 'colon.dateline')).toBeDefined();
    }
  });
});

describe('capitals blocks', () => {
  it('a name in capitals is written in sentence case whole: prepositions, conjunctions and compounds too, abbreviations and place names kept', () => {
    const s = seg('Участники конференции рекомендуют:\n\nКОМИТЕТУ ПО ОБРАЗОВАНИЮ АДМИНИСТРАЦИИ РАЙОНА:\n– провести районный семинар.\n\nЦЕНТРУ ПСИХОЛОГО-ПЕДАГОГИЧЕСКОЙ, МЕДИЦИНСКОЙ И СОЦИАЛЬНОЙ ПОМОЩИ:\n– организовать консультирование семей.\n\nГБУ ДПО «ИРО» ТВЕРСКОЙ ОБЛАСТИ:\n– разработать программу.\n');
    expect(s.recommendations.map((r) => r.addressee)).toEqual([
      'Комитет по образованию администрации района',
      'Центр психолого-педагогической, медицинской и социальной помощи',
      'ГБУ ДПО «ИРО» Тверской области',
    ]);
  });

  it('a person named after the role is part of the addressee, in the nominative', () => {
    const s = seg('Решили:\n1. Педагогу-психологу Т.С. Ивановой организовать сопровождение обучающихся с ОВЗ.\n2. Заместителю директора по УВР Петренко Н.А. провести семинар.\n3. Учителю физики Петрову А.И. подготовить команду к олимпиаде.\n4. Педагогу-психологу Ивановой Т.С. провести тренинг для родителей.\n');
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Педагог-психолог Т.С. Иванова', 'Заместитель директора по УВР Петренко Н.А.', 'Учитель физики Петров А.И.', 'Педагог-психолог Иванова Т.С.']);
  });
  it('an addressee in capitals without a colon covers the unmarked paragraphs under it', () => {
    const s = seg('В семинаре участвовали педагоги района, обсуждались вопросы воспитания и дополнительного образования детей.\n\nРЕКОМЕНДАЦИИ\n\nДИРЕКТОРАМ ШКОЛ\n\nОрганизовать работу школьных спортивных клубов.\n\nСоздать условия для работы школьных театров.\n');
    expect(texts(s)).toHaveLength(2);
    expect(s.recommendations.every((r) => r.addressee === 'Директора школ')).toBe(true);
  });

  it('a title in capitals is not an addressee', () => {
    const s = seg('РЕЗОЛЮЦИЯ\nОБЛАСТНОЙ КОНФЕРЕНЦИИ ПЕДАГОГОВ\n\nКонференция состоялась 3 марта 2024 года в Туле и собрала 200 педагогов области.\n\nРекомендовать школам провести акцию.\n');
    expect(s.trace.some((t) => t.role === 'addressee')).toBe(false);
  });
});

describe('tables', () => {
  it('reads content, executor and deadline columns; the executor is the addressee', () => {
    const raw = 'Участники совещания решили:\n\n№ | Содержание | Исполнитель | Срок\n1 | Провести мониторинг адаптации первоклассников | Руководителям школ | до 20.12.2024\n2 | Обновить положение о ППк | Методический центр | I квартал 2025 г.\n';
    const s = seg(raw);
    expect(texts(s)).toEqual(['Провести мониторинг адаптации первоклассников', 'Обновить положение о ППк']);
    expect(s.recommendations.map((r) => [r.addressee, r.deadline, r.deadlineText])).toEqual([
      ['Руководители школ', '2024-12-20', 'до 20.12.2024'],
      ['Методический центр', null, 'I квартал 2025 г.'],
    ]);
    offsetsHold(raw, s);
  });

  it('a number | text table: a row naming only an addressee groups the rows below; a row that opens with its addressee and goes on to a verb is its own', () => {
    const raw = 'Участники совещания решили:\n\n№ | Решение\n1. | Общеобразовательным организациям:\n2. | Провести мониторинг адаптации первоклассников\n3. | Управлению образования совместно с ИМЦ провести в ноябре муниципальный семинар\n4. | Опубликовать резолюцию на сайте\n';
    const s = seg(raw);
    expect(s.recommendations.map((r) => [r.addressee, r.text])).toEqual([
      ['Общеобразовательные организации', 'Провести мониторинг адаптации первоклассников'],
      ['Управление образования', 'Управлению образования совместно с ИМЦ провести в ноябре муниципальный семинар'],
      ['Общеобразовательные организации', 'Опубликовать резолюцию на сайте'],
    ]);
    offsetsHold(raw, s);
  });

  it('a programme table is a trap', () => {
    const s = seg('Время | Мероприятие | Спикер\n10:00 | Открытие | Иванов И.И.\n11:00 | Провести мастер-класс | Петрова А.А.\n');
    expect(s.recommendations).toEqual([]);
  });

  it('tab-separated rows are read as a table', () => {
    const s = seg('По итогам принят план мероприятий:\nМероприятие\tИсполнитель\tСрок\nОрганизовать ярмарку профессий\tУправление образования\tдо 01.04.2025\nПровести родительские собрания\tКлассные руководители\tдо 20.12.2024\n');
    expect(texts(s)).toEqual(['Организовать ярмарку профессий', 'Провести родительские собрания']);
  });
});

describe('after the last addressee\'s list', () => {
  it('an unmarked paragraph after the marked items an addressee heading covered has no addressee; unmarked paragraphs under a heading keep it', () => {
    const s = seg('Участники конференции рекомендуют:\n\n1. Руководителям образовательных организаций:\n1.1. обеспечить участие педагогов в курсах;\n1.2. организовать работу методических объединений.\n\n2. Учителям:\n- использовать материалы конференции.\n\nПровести следующую конференцию в марте 2026 года.\n');
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Руководители образовательных организаций', 'Руководители образовательных организаций', 'Учителя', null]);
    const plain = seg('В семинаре участвовали педагоги района, обсуждались вопросы воспитания и дополнительного образования детей.\n\nРЕКОМЕНДАЦИИ\n\nДИРЕКТОРАМ ШКОЛ\n\nОрганизовать работу школьных спортивных клубов.\n\nСоздать условия для работы школьных театров.\n');
    expect(plain.recommendations.map((r) => r.addressee)).toEqual(['Директора школ', 'Директора школ']);
  });
});

describe('a named body before a dash under «Просить:»', () => {
  it('«а) министерство образования области — рассмотреть …»: the body in the accusative is the addressee, the item stays whole', () => {
    const raw = 'Участники конференции решили:\n\n2. Просить:\nа) министерство образования Новгородской области — рассмотреть вопрос о целевом обучении;\nб) администрацию Окуловского района — выделить средства на подвоз обучающихся.\n';
    const s = seg(raw);
    expect(s.recommendations.map((r) => [r.addressee, r.verb, r.text])).toEqual([
      ['Министерство образования Новгородской области', 'рассмотреть', 'министерство образования Новгородской области — рассмотреть вопрос о целевом обучении'],
      ['Администрация Окуловского района', 'выделить', 'администрацию Окуловского района — выделить средства на подвоз обучающихся'],
    ]);
    offsetsHold(raw, s);
  });
});

describe('a paragraph addressed before a dash', () => {
  it('names its own proposal only: the paragraph after it has no addressee; a colon heading over run-ons still covers the next', () => {
    const s = seg('Участники совещания решили:\n\nПедагогам-психологам — организовать консультации для родителей выпускников.\n\nПровести следующее совещание в августе 2026 года.\n');
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Педагоги-психологи', null]);
    const colon = seg('Участники совещания решили:\n\nРуководителям школ: обеспечить участие педагогов в курсах; организовать методические дни.\n\nпровести мониторинг качества.\n');
    expect(colon.recommendations.map((r) => r.addressee)).toEqual(['Руководители школ', 'Руководители школ', 'Руководители школ']);
  });
});

describe('closing lines and datives', () => {
  it('«Оргкомитету:» addresses the organising committee; «Оргкомитет конференции» at the end signs', () => {
    const raw = 'Участники конференции рекомендуют:\n\n1. Методическому центру:\n1.1. обобщить опыт работы родительских клубов.\n\n2. Оргкомитету:\n2.1. подготовить сборник материалов конференции;\n2.2. направить резолюцию в органы управления образованием.\n\nОргкомитету подготовить фотоотчёт.\n\nОргкомитет конференции\n';
    const s = seg(raw);
    expect(s.recommendations.map((r) => [r.addressee, r.text])).toEqual([
      ['Методический центр', 'обобщить опыт работы родительских клубов'],
      ['Оргкомитет', 'подготовить сборник материалов конференции'],
      ['Оргкомитет', 'направить резолюцию в органы управления образованием'],
      ['Оргкомитет', 'Оргкомитету подготовить фотоотчёт'],
    ]);
    expect(s.trace.find((t) => t.rule === 'closing.end-line')).toBeDefined();
  });
});

describe('decorative bullets', () => {
  it('stars, diamonds and arrows are list markers, not part of the text', () => {
    const raw = 'Мы, участники молодёжного форума, предлагаем:\n★ дать советам обучающихся право голоса при обсуждении школьных правил;\n◆ проводить дни самоуправления не реже раза в четверть;\n➔ создать в каждой школе медиацентр.\n';
    const s = seg(raw);
    expect(texts(s)).toEqual(['дать советам обучающихся право голоса при обсуждении школьных правил', 'проводить дни самоуправления не реже раза в четверть', 'создать в каждой школе медиацентр']);
    offsetsHold(raw, s);
  });
});

describe('lists typed with a tab after the bullet', () => {
  it('a Symbol-font bullet or a number before a tab starts an item, not a table row', () => {
    const s = seg('Участники конференции выступили с инициативой:\n\uf0b7\tходатайствовать перед Министерством просвещения Российской Федерации о включении раздела в программу;\n\uf0b7\tпровести следующую конференцию в 2026 году.\n\n1.1.\tОбратиться к Губернатору области с предложением рассмотреть увеличение ставок тьюторов.\n1.2.\tОрганизовать стажировки.\n');
    expect(texts(s)).toEqual([
      'ходатайствовать перед Министерством просвещения Российской Федерации о включении раздела в программу',
      'провести следующую конференцию в 2026 году',
      'Обратиться к Губернатору области с предложением рассмотреть увеличение ставок тьюторов',
      'Организовать стажировки',
    ]);
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Министерство просвещения Российской Федерации', null, 'Губернатор области', null]);
  });
});

describe('an addressee line without a colon over unmarked items', () => {
  const heading = 'Участники семинара считают необходимым:\n\nРуководителям общеобразовательных организаций\nобеспечить прохождение курсов повышения квалификации;\nпредусмотреть в штатном расписании ставки тьюторов.\n';

  it('is the heading of the lines under it, with or without blank lines between', () => {
    for (const raw of [heading, heading.replace(/\n/g, '\n\n')]) {
      const s = seg(raw);
      expect(texts(s)).toEqual(['обеспечить прохождение курсов повышения квалификации', 'предусмотреть в штатном расписании ставки тьюторов']);
      expect(s.recommendations.map((r) => r.addressee)).toEqual(['Руководители общеобразовательных организаций', 'Руководители общеобразовательных организаций']);
    }
  });

  it('a heading paragraph of its own (a Word heading, a Markdown ###) over capitalised sentences, under «Рекомендации …» below the dateline', () => {
    const body = 'Рекомендации участников конференции\n\nМинистерству образования Тверской области\n\nРассмотреть возможность создания регионального центра.\n\nОбеспечить методическое сопровождение советников.\n\nОбщеобразовательным организациям\n\nОрганизовать работу родительских клубов.\n';
    for (const raw of [
      `РЕЗОЛЮЦИЯ\nрегиональной конференции «Школа будущего»\n\nг. Тверь, 22 марта 2024 г.\n\n${body}`,
      `РЕЗОЛЮЦИЯ\nрегиональной конференции «Школа будущего»\n\nВ работе конференции приняли участие 120 педагогов.\n\n${body}`,
    ]) {
      const s = seg(raw);
      expect(s.recommendations.map((r) => r.addressee)).toEqual(['Министерство образования Тверской области', 'Министерство образования Тверской области', 'Общеобразовательные организации']);
    }
    // At the top of a document the same line is its title.
    expect(seg(`Рекомендации участников конференции\n\nВ конференции участвовали 120 педагогов.\n`).trace[0]).toMatchObject({ role: 'title' });
  });

  it('a sentence wrapped after its addressee stays one recommendation', () => {
    const s = seg('Участники семинара рекомендуют:\n\nРуководителям общеобразовательных организаций\nобеспечить прохождение курсов повышения квалификации всеми учителями.\n\nПедагогам-психологам проводить консультации для родителей.\n');
    expect(texts(s)).toEqual([
      'Руководителям общеобразовательных организаций обеспечить прохождение курсов повышения квалификации всеми учителями',
      'Педагогам-психологам проводить консультации для родителей',
    ]);
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Руководители общеобразовательных организаций', 'Педагоги-психологи']);
  });
});

describe('the control clause of a decision', () => {
  it('«Контроль за исполнением решения возложить на …» is a trap, as an item or as a paragraph', () => {
    for (const raw of [
      'Педагогический совет ПОСТАНОВЛЯЕТ:\n1. Организовать стажировки молодых педагогов.\n2. Контроль за исполнением решения возложить на заместителя начальника управления.\n',
      'Участники рекомендуют:\nОрганизовать стажировки молодых педагогов.\n\nКонтроль исполнения решения возложить на методический совет.\n',
    ]) {
      const s = seg(raw);
      expect(texts(s)).toEqual(['Организовать стажировки молодых педагогов']);
      expect(s.trace.some((t) => t.rule === 'item.control')).toBe(true);
    }
  });

  it('an item about control of something else is kept', () => {
    expect(texts(seg('Рекомендовать школам:\n1. Усилить контроль за посещаемостью занятий.\n'))).toEqual(['Усилить контроль за посещаемостью занятий']);
  });
});

describe('long documents', () => {
  it('nothing after "Приложение" is taken', () => {
    const s = seg('Рекомендовать школам:\n- провести акцию.\n\nПриложение 1\n- обеспечить подвоз;\n- провести конкурс.\n');
    expect(texts(s)).toEqual(['провести акцию']);
    expect(s.trace.filter((t) => t.role === 'appendix')).toHaveLength(3);
  });
});

describe('OCR bullets', () => {
  it('stray glyphs at line start are bullets', () => {
    const s = seg('Рекомендовать:\n® провести семинар для логопедов;\n» создать банк заданий;\no обновить программы.\n');
    expect(texts(s)).toEqual(['провести семинар для логопедов', 'создать банк заданий', 'обновить программы']);
  });
});

describe('verdicts', () => {
  it('ok for a clear resolution, review for a list found only by weak cues, none for none', () => {
    expect(seg('Участники рекомендуют:\n- провести акцию;\n- создать клуб.\n').verdict).toBe('ok');
    const weak = seg('Итоги\n1. Провести акцию.\n2. Создать клуб.\n');
    expect(weak.verdict).toBe('review');
    expect(weak.reviewReasons).toContain('operative part found only by weak cues');
    expect(seg('Информация о семинаре.\n').verdict).toBe('none');
  });
});

describe('source sub-headings under an addressee', () => {
  it('keeps items under "по результатам работы площадки …:" with the addressee above, and still drops a list of sections', () => {
    const raw = [
      'РЕШЕНИЕ августовского совещания педагогов Сокольского округа',
      '',
      'Совещание рекомендует руководителям общеобразовательных организаций:',
      '',
      'по результатам работы площадки «Наставничество»:',
      '1. Закрепить наставников за всеми молодыми учителями.',
      '2. Организовать взаимопосещение уроков.',
      '',
      'по итогам обсуждения на круглом столе «Школьные музеи»:',
      '3. Обновить экспозиции школьных музеев к 2026 году.',
      '',
      'Секции совещания:',
      '1. Наставничество.',
      '2. Школьные музеи.',
      '',
    ].join('\n');
    const s = seg(raw);
    expect(texts(s)).toEqual([
      'Закрепить наставников за всеми молодыми учителями',
      'Организовать взаимопосещение уроков',
      'Обновить экспозиции школьных музеев к 2026 году',
    ]);
    for (const r of s.recommendations) expect(r.addressee).toBe('Руководители общеобразовательных организаций');
    offsetsHold(raw, s);
  });
});

describe('addressee lines ending in a dash right under a section title', () => {
  it('ends the section title at "Комитету … —" so the items below it are taken', () => {
    const raw = [
      'Итоговый документ педагогической мастерской',
      '',
      'II. Предложения',
      'Комитету по образованию области —',
      '— включить в региональную программу проект «Читающий регион»;',
      '— предусмотреть средства на обновление фондов школьных библиотек.',
      'Родителям —',
      '— читать вместе с детьми не менее 20 минут в день.',
      '',
    ].join('\n');
    const s = seg(raw);
    expect(texts(s)).toEqual([
      'включить в региональную программу проект «Читающий регион»',
      'предусмотреть средства на обновление фондов школьных библиотек',
      'читать вместе с детьми не менее 20 минут в день',
    ]);
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Комитет по образованию области', 'Комитет по образованию области', 'Родители']);
    offsetsHold(raw, s);
  });
});
