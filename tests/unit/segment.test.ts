import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Morph } from '../../pipeline/text/morph.js';
import { normaliseText } from '../../pipeline/text/normalise.js';
import { segmentResolution, type Segmentation } from '../../pipeline/segment/segment.js';
import { scoreDocument, summarise, type GoldFile } from '../../pipeline/eval/score.js';
import { testMorph } from '../helpers/morph.js';
import { readDocument } from '../../pipeline/ingest/readers.js';

let morph: Morph;
beforeAll(async () => {
  morph = await testMorph();
});

const seg = (raw: string): Segmentation => segmentResolution(normaliseText(raw), morph);
const texts = (s: Segmentation) => s.recommendations.map((r) => r.text);

function expectOffsetsValid(raw: string, s: Segmentation) {
  const text = normaliseText(raw);
  for (const r of s.recommendations) {
    expect(r.charStart).toBeGreaterThanOrEqual(0);
    expect(r.charEnd).toBeLessThanOrEqual(text.length);
    expect(text.slice(r.charStart, r.charEnd).replace(/\s+/g, ' ').trim()).toBe(r.text);
  }
}

describe('segmentation on the gold sample corpus', () => {
  const goldDir = join(__dirname, '..', 'fixtures', 'gold');
  const golds: GoldFile[] = readdirSync(goldDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(goldDir, f), 'utf8')));

  it('reaches F1 ≥ 0.97, addressee and verb accuracy ≥ 0.95', () => {
    const scores = golds.map((g) => {
      const raw = readFileSync(join(__dirname, '..', '..', 'data', 'resolutions', g.file), 'utf8');
      const s = seg(raw);
      expectOffsetsValid(raw, s);
      return scoreDocument(g, g.conference, s.recommendations);
    });
    const sum = summarise(scores);
    const errors = scores.flatMap((d) => d.errors.filter((e) => !e.startsWith('meta')).map((e) => `${d.file}: ${e}`));
    expect(errors).toEqual([]);
    expect(sum.f1).toBeGreaterThanOrEqual(0.97);
    expect(sum.addresseeAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(sum.verbAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(sum.trapHits).toBe(0);
  });
});

describe('segmentation of layouts seen in the genre', () => {
  it('dash list after "рекомендовать:" without addressee headings', () => {
    const raw = `РЕЗОЛЮЦИЯ\nрегионального семинара «Наставничество в школе»\n\nЗадачи семинара:\n- обсуждение моделей наставничества;\n- обмен опытом.\n\nУчастники семинара решили рекомендовать:\n- разработать программу наставничества для молодых педагогов;\n– обеспечить методическое сопровождение наставников;\n— провести конкурс «Лучший наставник» в 2025 году.\n`;
    const s = seg(raw);
    expect(texts(s)).toEqual([
      'разработать программу наставничества для молодых педагогов',
      'обеспечить методическое сопровождение наставников',
      'провести конкурс «Лучший наставник» в 2025 году',
    ]);
    expect(s.recommendations.map((r) => r.verb)).toEqual(['разработать', 'обеспечить', 'провести']);
    expect(s.recommendations.every((r) => r.addressee === null && r.addresseeType === 'none')).toBe(true);
    expectOffsetsValid(raw, s);
  });

  it('numbered addressee headings with lettered items', () => {
    const raw = `Рекомендации конференции\n1. Министерству образования Новосибирской области:\nа) обеспечить повышение квалификации учителей-логопедов;\nб) организовать сетевое взаимодействие ресурсных центров.\n2. Муниципальным органам управления образованием:\nа) создать условия для инклюзивного образования детей с ОВЗ.\n`;
    const s = seg(raw);
    expect(texts(s)).toHaveLength(3);
    expect(s.recommendations.map((r) => r.addressee)).toEqual([
      'Министерство образования Новосибирской области',
      'Министерство образования Новосибирской области',
      'Муниципальные органы управления образованием',
    ]);
    expect(s.recommendations.map((r) => r.addresseeType)).toEqual(['regional', 'regional', 'municipal']);
    expect(s.recommendations[0].addresseeRaw).toBe('1. Министерству образования Новосибирской области:');
  });

  it('addressee headings in capitals without a colon', () => {
    const raw = `Конференция рекомендует\n\nОБРАЗОВАТЕЛЬНЫМ ОРГАНИЗАЦИЯМ\n• внедрять программы профилактики буллинга;\n• развивать школьные службы медиации.\n\nРОДИТЕЛЬСКОЙ ОБЩЕСТВЕННОСТИ\n• участвовать в работе управляющих советов.\n`;
    const s = seg(raw);
    expect(texts(s)).toEqual([
      'внедрять программы профилактики буллинга',
      'развивать школьные службы медиации',
      'участвовать в работе управляющих советов',
    ]);
    expect(s.recommendations[0].addressee).toBe('Образовательные организации');
    expect(s.recommendations[2].addressee).toBe('Родительская общественность');
  });

  it('bold markdown headings and multi-line items', () => {
    const raw = `**Резолюция**\n\n**Педагогическим работникам**\n\n- использовать в работе материалы конференции, размещенные\nна сайте института;\n\n- принимать участие в профессиональных конкурсах\n\nи олимпиадах.\n`;
    const s = seg(raw);
    expect(texts(s)).toEqual([
      'использовать в работе материалы конференции, размещенные на сайте института',
      'принимать участие в профессиональных конкурсах и олимпиадах',
    ]);
    expect(s.recommendations[0].addressee).toBe('Педагогические работники');
    expect(s.recommendations[0].addresseeType).toBe('participants');
    expectOffsetsValid(raw, s);
  });

  it('run-on paragraph with an inline heading and semicolons', () => {
    const raw = `По итогам работы форума участники отмечают важность темы.\nОрганам местного самоуправления: обеспечить подвоз обучающихся; организовать летний отдых детей; продолжить работу по патриотическому воспитанию.\n`;
    const s = seg(raw);
    expect(texts(s)).toEqual([
      'обеспечить подвоз обучающихся',
      'организовать летний отдых детей',
      'продолжить работу по патриотическому воспитанию',
    ]);
    expect(s.recommendations.every((r) => r.addressee === 'Органы местного самоуправления')).toBe(true);
    expectOffsetsValid(raw, s);
  });

  it('numbered proposals without any heading, and a sentence naming its addressee', () => {
    const raw = `Итоги совещания\n1. Рекомендовать руководителям общеобразовательных организаций провести педагогические советы по итогам совещания.\n2. Продолжить работу по внедрению ФГОС.\n3. Развивать сетевые формы взаимодействия.\n`;
    const s = seg(raw);
    expect(texts(s)).toHaveLength(3);
    expect(s.recommendations[0].addressee).toBe('Руководители общеобразовательных организаций');
    expect(s.recommendations[0].verb).toBe('провести');
    expect(s.recommendations[1].addressee).toBeNull();
  });

  it('keeps an item with sub-items whole', () => {
    const raw = `Участники конференции предлагают:\n1. Продолжить работу по следующим направлениям:\n- развитие инклюзивной среды;\n- поддержка одаренных детей;\n2. Провести конференцию в 2026 году.\n`;
    const s = seg(raw);
    expect(texts(s)).toEqual([
      'Продолжить работу по следующим направлениям: - развитие инклюзивной среды; - поддержка одаренных детей',
      'Провести конференцию в 2026 году',
    ]);
  });

  it('skips goal, problem, agenda and observation lists around the operative part', () => {
    const raw = `Цели конференции:\n1) обсудить вопросы воспитания;\n2) выявить лучшие практики.\nВ ходе конференции выявлены проблемы:\n- нехватка педагогов-психологов;\n- слабая материальная база.\nУчастники конференции рекомендуют:\n- создать банк лучших практик воспитания;\nУчастники конференции отмечают:\n- высокий уровень организации;\n- активность участников.\n`;
    const s = seg(raw);
    expect(texts(s)).toEqual(['создать банк лучших практик воспитания']);
  });

  it('flags a document with no operative part', () => {
    const s = seg('Информационное письмо\n\nПриглашаем принять участие в конференции 12 мая 2025 года.\n');
    expect(s.recommendations).toEqual([]);
    expect(s.reason).toMatch(/no operative part/);
  });

  it('a colon inside a quoted title is not a heading', () => {
    const raw = `РЕЗОЛЮЦИЯ\nмежрегиональной конференции «Наставничество в образовании: опыт, проблемы, перспективы»\n\nБыло отмечено:\n- рост интереса к наставничеству;\n- нехватка методистов.\n\nУчастники конференции рекомендуют:\nОбразовательным организациям:\n- разработать программы наставничества.\n`;
    const s = seg(raw);
    expect(texts(s)).toEqual(['разработать программы наставничества']);
    expect(s.recommendations[0].addressee).toBe('Образовательные организации');
  });

  it('keeps genitive complements of the head as written', () => {
    const raw = `Рекомендовать:\nЦентрам психолого-педагогической, медицинской и социальной помощи:\n- расширить консультирование семей.\n`;
    expect(seg(raw).recommendations[0].addressee).toBe('Центры психолого-педагогической, медицинской и социальной помощи');
  });

  it('organisations named by abbreviations, as headings and inside sentences', () => {
    const raw = `1) ГАУ ДПО «Институт развития образования Смоленской области»:\n- разработать методические рекомендации;\n2) Образовательным организациям:\n- использовать рекомендации в работе.\n3. Рекомендовать ГАУ ДПО СОИРО провести семинар для методистов.\n`;
    const s = seg(raw);
    expect(s.recommendations.map((r) => r.addressee)).toEqual([
      'ГАУ ДПО «Институт развития образования Смоленской области»',
      'Образовательные организации',
      'ГАУ ДПО СОИРО',
    ]);
    expect(s.recommendations.map((r) => r.addresseeType)).toEqual(['institute', 'educational_org', 'institute']);
  });

  it('adverbial openings: run-on parts, unmarked items and inline addressees', () => {
    const raw = `Участники конференции рекомендуют:\nОбразовательным организациям: создать цифровые ресурсы; в 2025–2026 учебном году содействовать наставничеству; совместно с родителями проводить акции.\n1. Рекомендовать Управлению образования Администрации города Тюмени в течение 2025 года провести конкурс.\n2. Рекомендовать образовательным организациям ежегодно проводить педагогические чтения.\n`;
    const s = seg(raw);
    expect(texts(s)).toEqual([
      'создать цифровые ресурсы',
      'в 2025–2026 учебном году содействовать наставничеству',
      'совместно с родителями проводить акции',
      'Рекомендовать Управлению образования Администрации города Тюмени в течение 2025 года провести конкурс',
      'Рекомендовать образовательным организациям ежегодно проводить педагогические чтения',
    ]);
    expect(s.recommendations.slice(3).map((r) => r.addressee)).toEqual([
      'Управление образования Администрации города Тюмени',
      'Образовательные организации',
    ]);
  });

  it('sentences "Участники … рекомендуют X сделать …" are recommendations; past-tense reports are not', () => {
    const raw = `В 2019 году участники семинара рекомендовали расширить практику наставничества; за прошедший период эта работа продолжена.\n\nУчастники семинара рекомендуют муниципальным органам управления образованием активизировать работу с одарёнными детьми.\n\nУчастники семинара рекомендуют Департаменту образования Брянской области рассмотреть вопрос о грантах.\n`;
    const s = seg(raw);
    expect(s.recommendations.map((r) => r.addressee)).toEqual([
      'Муниципальные органы управления образованием',
      'Департамент образования Брянской области',
    ]);
    expect(s.recommendations.map((r) => r.verb)).toEqual(['активизировать', 'рассмотреть']);
  });

  it('an unpunctuated item ends at a heading in capitals or at the closing line', () => {
    const raw = `Предложения участников\n\nМИНИСТЕРСТВУ ОБРАЗОВАНИЯ СТАВРОПОЛЬСКОГО КРАЯ\n- создать стажировочные площадки\nОБЩЕОБРАЗОВАТЕЛЬНЫМ ОРГАНИЗАЦИЯМ\n- развивать школьные театры\nРезолюция принята единогласно.\n`;
    const s = seg(raw);
    expect(texts(s)).toEqual(['создать стажировочные площадки', 'развивать школьные театры']);
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Министерство образования Ставропольского края', 'Общеобразовательные организации']);
  });

  it('numbered proposals after a goals list and a narrative paragraph', () => {
    const raw = `Задачи конференции:\n1. обсуждение моделей профориентации;\n2. обмен опытом.\nВ конференции приняли участие 120 педагогов.\n1. Развивать профориентационную работу.\n2. Создать банк лучших практик.\n`;
    expect(texts(seg(raw))).toEqual(['Развивать профориентационную работу', 'Создать банк лучших практик']);
  });
});

describe('p7d: shapes written by people who never saw the segmenter', () => {
  it('a sentence that only announces the list ("… предложить следующее.") is a lead-in, not recommendation #1', () => {
    const raw = `РЕКОМЕНДАЦИИ\nкруглого стола «Инклюзивная среда в сельской школе»\n\nОбсудив доклады и выступления, участники круглого стола считают необходимым предложить следующее.\n\nДепартаменту образования Вологодской области — предусмотреть средства на оснащение сельских школ.\n\nОрганам местного самоуправления — организовать подвоз детей с инвалидностью к базовым школам.\n`;
    const s = seg(raw);
    expect(texts(s)).toEqual([
      'Департаменту образования Вологодской области — предусмотреть средства на оснащение сельских школ',
      'Органам местного самоуправления — организовать подвоз детей с инвалидностью к базовым школам',
    ]);
    expect(s.trace.some((t) => t.rule === 'paragraph.announcement' && t.role === 'lead-in')).toBe(true);
    // the same words with a proposal of their own stay a recommendation
    const own = seg(`Участники круглого стола считают необходимым предложить департаменту образования провести семинар.\n`);
    expect(own.recommendations.map((r) => r.verb)).toEqual(['провести']);
    // an announcement of an earlier resolution's decisions opens nothing
    const earlier = seg(`Ранее участники рекомендовали следующее.\n\nОбеспечить подвоз детей.\n`);
    expect(earlier.trace.some((t) => t.rule === 'paragraph.announcement')).toBe(false);
  });

  it('a paragraph announcing "следующие рекомендации" opens the part of unmarked paragraphs under it', () => {
    const raw = `Семинар прошёл 3 апреля 2025 года в Пскове. В ходе обсуждения участники приняли следующие рекомендации.\n\nОбеспечить участие педагогов в стажировках.\n\nРазработать план методических мероприятий на 2025/2026 учебный год.\n`;
    expect(texts(seg(raw))).toEqual(['Обеспечить участие педагогов в стажировках', 'Разработать план методических мероприятий на 2025/2026 учебный год']);
  });

  it('sub-items of "1.3. Предусмотреть …:" end at the next numbered addressee heading', () => {
    const raw = `Конференция рекомендует:\n1. Органам местного самоуправления:\n1.1. Обеспечить участие школ в мониторинге.\n1.2. Предусмотреть меры поддержки педагогов:\nа) компенсацию транспортных расходов;\nб) доплаты за руководство проектами.\n2. Общеобразовательным организациям:\n2.1. Включить в программы задания по финансовой грамотности.\n`;
    const s = seg(raw);
    expect(texts(s)).toEqual([
      'Обеспечить участие школ в мониторинге',
      'Предусмотреть меры поддержки педагогов: а) компенсацию транспортных расходов; б) доплаты за руководство проектами',
      'Включить в программы задания по финансовой грамотности',
    ]);
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Органы местного самоуправления', 'Органы местного самоуправления', 'Общеобразовательные организации']);
  });

  it('"Решение секции N «…»" is a title: it names no addressee and is not wrapped into the next line', () => {
    const raw = `Участникам конференции рекомендовано:\n- использовать материалы конференции.\n\nРешение секции 1 «Родительское просвещение»\nМинистерству образования Свердловской области — рассмотреть возможность создания консультационных центров.\nОбразовательным организациям — включить в планы работы родительские университеты.\n\nРешение секции 3 «Воспитание в семье и школе»\n- Разработать планы воспитательной работы классов.\n`;
    const s = seg(raw);
    expect(texts(s)).toEqual([
      'использовать материалы конференции',
      'Министерству образования Свердловской области — рассмотреть возможность создания консультационных центров',
      'Образовательным организациям — включить в планы работы родительские университеты',
      'Разработать планы воспитательной работы классов',
    ]);
    expect(s.recommendations.map((r) => r.addressee)).toEqual([
      'Участники конференции',
      'Министерство образования Свердловской области',
      'Образовательные организации',
      null,
    ]);
    expectOffsetsValid(raw, s);
    // a title wrapped over lines, a dash only on a later line: not a title over an addressee line
    const title = seg(`РЕЗОЛЮЦИЯ\nМеждународной научно-методической конференции\n«Поддержка одарённых детей»\n29 ноября – 2 декабря 2017 г. в Липецке состоялась конференция.\n`);
    expect(title.recommendations).toEqual([]);
    // "Рекомендации образовательным организациям:" still names its addressee
    expect(seg(`Рекомендации образовательным организациям:\n- создать школьные театры.\n`).recommendations[0].addressee).toBe('Образовательные организации');
  });

  it('"Считать необходимым развитие …" is a nominal item; "Считать необходимым продолжить …" is not', () => {
    const raw = `Участники чтений постановили:\n1. Считать необходимым продолжить работу по сохранению традиций.\n2. Считать необходимым развитие сетевого взаимодействия школ с музеями.\n`;
    const s = seg(raw);
    expect(s.recommendations.map((r) => [r.verb, r.form])).toEqual([
      ['продолжить', 'infinitive'],
      [null, 'nominal'],
    ]);
  });

  it('an organisation named by abbreviations and a quoted name, then the verb, is the addressee', () => {
    const raw = `Участники конференции рекомендуют:\n- МБУ ДПО «Старооскольский центр развития образования» создать открытую базу методических разработок;\n- ГАОУ ДПО «Институт развития образования и социальных технологий» включить в план курсов программу для навигаторов.\n`;
    const s = seg(raw);
    expect(s.recommendations.map((r) => [r.addressee, r.verb])).toEqual([
      ['МБУ ДПО «Старооскольский центр развития образования»', 'создать'],
      ['ГАОУ ДПО «Институт развития образования и социальных технологий»', 'включить'],
    ]);
  });

  it('executors in brackets at the end of an item are its addressee; responsible notes and asides are not', () => {
    const raw = `Участники совещания решили:\n• обеспечить реализацию программ воспитания (руководители общеобразовательных организаций);\n• проводить родительские собрания (классные руководители);\n• продолжить развитие школьных театров;\n• провести встречи для родителей (законных представителей);\n• создать родительский контроль (ответственный – заместитель директора по ВР Лукина Т. А.).\n`;
    const s = seg(raw);
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Руководители общеобразовательных организаций', 'Классные руководители', null, null, null]);
    expect(s.recommendations[1].addresseeRaw).toBe('классные руководители');
  });

  it('an executor in brackets read in any of its cases\' nominative («(школы)», «(образовательные организации)») or named by its legal form («(ТОГОАУ ДПО «ИПКРО»)»); an abbreviation explained is not one', () => {
    const raw = `Участники конференции рекомендуют:\n1. Включить в программы модуль по диагностике одарённости (ТОГОАУ ДПО «ИПКРО»).\n2. Обеспечить разработку индивидуальных маршрутов (образовательные организации).\n3. Организовать летние смены (школы).\n4. Обеспечить условия для детей с ограниченными возможностями здоровья (ОВЗ).\n`;
    const s = seg(raw);
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['ТОГОАУ ДПО «ИПКРО»', 'Образовательные организации', 'Школы', null]);
  });

  it('an executor in brackets with its deadline beside it is the addressee, the deadline is read too', () => {
    const raw = `Участники предложили:\n1. Разработать типовое положение о группах продлённого дня (Министерство образования и науки Пермского края, срок — до 1 июня 2025 г.).\n2. Создать пилотные школы (ответственные – органы местного самоуправления, срок – до 01.09.2025).\n`;
    const s = seg(raw);
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Министерство образования и науки Пермского края', null]);
    expect(s.recommendations.map((r) => r.deadline)).toEqual(['2025-06-01', '2025-09-01']);
  });
});

describe('a closing section after the addressee headings', () => {
  it('ends the last heading\'s scope; its statements are not proposals, its decisions are, object first or not', () => {
    const raw = `II. ПРЕДЛОЖЕНИЯ ФОРУМА\n\n2.1. Молодым педагогам:\n2.1.1. Активно участвовать в конкурсах профессионального мастерства.\n2.1.2. Вступать в первичные профсоюзные организации.\n\nIII. ЗАКЛЮЧИТЕЛЬНЫЕ ПОЛОЖЕНИЯ\n\n3.1. Резолюция направляется в органы управления образованием субъектов ДФО.\n3.2. Следующий Форум провести в 2026 году в г. Благовещенске.\n`;
    const s = seg(raw);
    expect(texts(s)).toEqual([
      'Активно участвовать в конкурсах профессионального мастерства',
      'Вступать в первичные профсоюзные организации',
      'Следующий Форум провести в 2026 году в г. Благовещенске',
    ]);
    expect(s.recommendations.map((r) => [r.addressee, r.verb, r.form])).toEqual([
      ['Молодые педагоги', 'участвовать', 'infinitive'],
      ['Молодые педагоги', 'вступать', 'infinitive'],
      [null, 'провести', 'infinitive'],
    ]);
    expect(s.trace.some((t) => t.rule === 'item.statement')).toBe(true);
  });

  it('a nominal proposal with a finite verb after its first comma is still a proposal', () => {
    const s = seg('Участники предложили:\n1. Создание муниципальных центров, которые позволят объединить ресурсы школ.\n2. Работа с родителями продолжается.\n');
    expect(texts(s)).toEqual(['Создание муниципальных центров, которые позволят объединить ресурсы школ']);
  });
});

describe('p7d: section titles, wrapped headings and site footers', () => {
  it('Roman-numbered section titles are headings: tasks are a trap, the recommendations section opens the part', () => {
    const raw = `I. ОБЩИЕ ПОЛОЖЕНИЯ\n\nКонференция прошла 20 мая 2026 года в Томске.\n\nII. ЗАДАЧИ КОНФЕРЕНЦИИ\n\n1. Проанализировать состояние сети сельских школ.\n2. Обсудить модели сетевого взаимодействия.\n\nIII. УЧАСТНИКИ КОНФЕРЕНЦИИ ОТМЕЧАЮТ\n\nСельские школы остаются центрами жизни поселений.\n\nIV. РЕКОМЕНДАЦИИ\n\n4.1. Педагогическим вузам:\n– организовать целевое обучение студентов;\n– включить в практику стажировки в малокомплектных школах.\n\nV. ЗАКЛЮЧИТЕЛЬНЫЕ ПОЛОЖЕНИЯ\n\nМатериалы конференции будут опубликованы.\n`;
    const s = seg(raw);
    expect(texts(s)).toEqual(['организовать целевое обучение студентов', 'включить в практику стажировки в малокомплектных школах']);
    expect(s.trace.filter((t) => t.rule === 'heading.section-title').map((t) => t.role)).toEqual(['preamble', 'trap', 'trap', 'lead-in', 'narrative']);
  });

  it('an addressee heading wrapped before its last words is one heading', () => {
    const raw = `Участники форума рекомендуют:\n\nДепартаменту образования и науки\nКурганской области:\n\nа) рассмотреть возможность увеличения выплаты молодым педагогам;\n\nОрганам местного самоуправления:\n\nа) предоставлять молодым педагогам служебное жильё.\n`;
    const s = seg(raw);
    expect(s.recommendations.map((r) => [r.addressee, r.addresseeRaw])).toEqual([
      ['Департамент образования и науки Курганской области', 'Департаменту образования и науки Курганской области:'],
      ['Органы местного самоуправления', 'Органам местного самоуправления:'],
    ]);
    // two addressee headings on consecutive lines stay two
    const two = seg(`Участники рекомендуют:\nМуниципальным органам управления образованием\nРуководителям школ:\n- провести педсоветы.\n`);
    expect(two.recommendations[0].addressee).toBe('Руководители школ');
  });

  it('a copyright footer is noise, not an item', () => {
    const raw = `По итогам работы семинара рекомендовано:\n\n**Учителям-логопедам**\n* вовлекать родителей в коррекционную работу.\n\n* * *\n© ГАУ ДПО РК «Карельский институт развития образования», 2026\n[Политика конфиденциальности](/privacy)\n`;
    const s = seg(raw);
    expect(texts(s)).toEqual(['вовлекать родителей в коррекционную работу']);
    expect(s.trace.some((t) => t.rule === 'closing.noise')).toBe(true);
  });
});

describe('p7d: lettered inline lists, "Для X:" headings, a vocative over a colon lead-in', () => {
  it('"решили: а) …; б) …; в) …" in one paragraph: each letter starts an item, without its marker', () => {
    const raw = `Обсудив опыт, участники совещания решили: а) продолжить апробацию цифровых помощников; б) создать городскую сетевую группу учителей; в) рекомендовать общеобразовательным организациям предусмотреть обучение работе с ФГИС «Моя школа».\n`;
    const s = seg(raw);
    expect(texts(s)).toEqual([
      'продолжить апробацию цифровых помощников',
      'создать городскую сетевую группу учителей',
      'рекомендовать общеобразовательным организациям предусмотреть обучение работе с ФГИС «Моя школа»',
    ]);
    expect(s.recommendations.map((r) => r.addressee)).toEqual([null, null, 'Общеобразовательные организации']);
    expectOffsetsValid(raw, s);
  });

  it('"Для образовательных организаций:", "Для родителей:" name the addressees of the lists under them', () => {
    const raw = `Для образовательных организаций:\n1) создавать ресурсные классы;\n2) предусмотреть должности тьюторов.\n\nДля родителей:\n1) участвовать в разработке индивидуальной программы.\n\nДля справки:\n1) телефон ресурсного центра.\n`;
    const s = seg(raw);
    expect(s.recommendations.map((r) => [r.addressee, r.addresseeRaw])).toEqual([
      ['Образовательные организации', 'Для образовательных организаций:'],
      ['Образовательные организации', 'Для образовательных организаций:'],
      ['Родители', 'Для родителей:'],
      ['Родители', 'Для родителей:'],
    ]);
  });

  it('"Уважаемые родители! Просим вас:" — the vocative is the addressee of the dash list', () => {
    const raw = `Уважаемые родители! Просим вас:\n– не оставлять детей без присмотра у водоёмов;\n– проверить вместе с детьми безопасный маршрут.\n\nОбращаемся к главам муниципальных образований с просьбой:\n– обеспечить работу оборудованных мест для купания.\n`;
    const s = seg(raw);
    expect(s.recommendations.map((r) => r.addressee)).toEqual(['Родители', 'Родители', 'Главы муниципальных образований']);
    expect(s.recommendations[0].addresseeRaw).toBe('Уважаемые родители!');
  });

  it('"Считать необходимым создание …" is still taken where a verb-led item is (a paragraph, a quotation)', () => {
    const para = seg(`РЕКОМЕНДАЦИИ\n\nУчастники семинара обсудили вопросы наставничества и отметили его роль.\n\nСчитать необходимым создание муниципальных центров наставничества.\n\nОрганизовать стажировки молодых педагогов.\n`);
    expect(para.recommendations.map((r) => [r.text, r.verb, r.form])).toEqual([
      ['Считать необходимым создание муниципальных центров наставничества', null, 'nominal'],
      ['Организовать стажировки молодых педагогов', 'организовать', 'infinitive'],
    ]);
  });
});

describe('a memorandum: «договорились о следующем:» over «а. Органам … — …»', () => {
  it('each lettered item is one recommendation, whole, addressed to the body before its dash', () => {
    const raw = `г. Псков, 22 октября 2025 г.\n\nУчастники форума договорились о следующем:\n\nа. Органам управления образованием — предусмотреть ставки тьюторов;\n\nб. Региональным центрам психолого-педагогической помощи — организовать выездные консультации для семей;\n\nв. Институтам развития образования — разработать программу повышения квалификации.\n`;
    const s = seg(raw);
    expect(s.recommendations.map((r) => [r.addressee, r.text])).toEqual([
      ['Органы управления образованием', 'Органам управления образованием — предусмотреть ставки тьюторов'],
      ['Региональные центры психолого-педагогической помощи', 'Региональным центрам психолого-педагогической помощи — организовать выездные консультации для семей'],
      ['Институты развития образования', 'Институтам развития образования — разработать программу повышения квалификации'],
    ]);
    // (the addressee as written inside its item)
    expect(s.recommendations.map((r) => r.addresseeRaw)).toEqual([
      'Органам управления образованием',
      'Региональным центрам психолого-педагогической помощи',
      'Институтам развития образования',
    ]);
    expectOffsetsValid(raw, s);
  });

  it('«договорились о следующем:» opens the operative part over numbered items too', () => {
    const s = seg(`Участники форума договорились о следующем:\n\n1. Органам управления образованием — предусмотреть ставки тьюторов.\n\n2. Школам — создать раздел для родителей.\n`);
    expect(s.recommendations.map((r) => r.text)).toEqual(['Органам управления образованием — предусмотреть ставки тьюторов', 'Школам — создать раздел для родителей']);
    // run-on proposals after the dash are split there, each under the addressee
    expect(seg(`Участники форума договорились о следующем:\n\n1. Школам — создать раздел для родителей; провести собрания.\n`).recommendations.map((r) => [r.addressee, r.text])).toEqual([
      ['Школы', 'создать раздел для родителей'],
      ['Школы', 'провести собрания'],
    ]);
  });
});

describe('an appeal to colleagues: a bare vocative, and a body named before «предлагаем»', () => {
  it('«Коллеги! Призываем вас:» addresses the list; «Управлению … предлагаем учредить …» names its own addressee', () => {
    const raw = `Коллеги! Призываем вас:\n- включать обучающихся в общественно полезный труд;\n- вовлекать родителей в трудовые дела класса.\n\nУправлению образования Белгородской области предлагаем учредить областной конкурс «Трудовой десант».\n`;
    const s = seg(raw);
    expect(s.recommendations.map((r) => [r.addressee, r.verb])).toEqual([
      ['Коллеги', 'включать'],
      ['Коллеги', 'вовлекать'],
      ['Управление образования Белгородской области', 'учредить'],
    ]);
    expectOffsetsValid(raw, s);
  });

  it('a word that is not a group of people before «!» is not a vocative', () => {
    const s = seg(`Внимание! Призываем вас:\n- включать обучающихся в общественно полезный труд.\n`);
    expect(s.recommendations.map((r) => r.addressee)).toEqual([null]);
  });
});

describe('the layout-family fixtures', () => {
  const root = join(__dirname, '..', 'fixtures', 'layouts');
  const cases = readdirSync(join(root, 'gold')).flatMap((fam) =>
    readdirSync(join(root, 'gold', fam))
      .filter((f) => f.endsWith('.json'))
      .map((f) => [fam, f] as const),
  );
  it.each(cases)('%s/%s: every recommendation found, nothing else, with its addressee, verb and form', async (fam, f) => {
    const gold: GoldFile = JSON.parse(readFileSync(join(root, 'gold', fam, f), 'utf8'));
    if (!gold.file.endsWith('.txt')) return; // Word documents go through the reader: scored by `npm run eval`
    // Through the text reader, as ingest reads it (it blanks the page furniture of a text copied from a PDF).
    const path = join(root, 'docs', fam, gold.file);
    const raw = (await readDocument(path, readFileSync(path))).text;
    const s = seg(raw);
    const d = scoreDocument(gold, gold.conference, s.recommendations, { sourceKind: s.sourceKind });
    expect(d.errors.filter((e) => !e.startsWith('meta') && !e.startsWith('theme'))).toEqual([]);
    expect(d.trapHits).toBe(0);
  });
});
