import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { extractMetadata } from '../../pipeline/ingest/metadata.js';
import { findDates } from '../../pipeline/ingest/metadata/dates.js';
import { nameForms } from '../../pipeline/ingest/metadata/declension.js';
import { findQuotes, quoteInner } from '../../pipeline/ingest/metadata/quotes.js';
import { META_FIELDS, type ConferenceMeta, type MetaField } from '../../pipeline/store/types.js';
import type { Morph } from '../../pipeline/text/morph.js';
import { normaliseText } from '../../pipeline/text/normalise.js';
import { testMorph } from '../helpers/morph.js';
import { metadataCase } from '../helpers/resolutions.js';
import { GOLD_DIR, SAMPLE_DIR } from '../helpers/tmp.js';

let morph: Morph;
beforeAll(async () => {
  morph = await testMorph();
});

const meta = (raw: string): ConferenceMeta => extractMetadata(normaliseText(raw), morph);

const doc = metadataCase;

describe('dates: formats seen in resolutions', () => {
  const cases: [string, string, string | null, string | null, number | null][] = [
    ['numeric date in the header', doc('областного семинара «Школа молодого педагога»\n\n22.11.2024', 'Семинар проходил в очном формате.'), '2024-11-22', '2024-11-22', 2024],
    ['day month year with г.', doc('конференции «Наставничество»', 'Конференция состоялась 22 ноября 2024 г. в г. Кирове.'), '2024-11-22', '2024-11-22', 2024],
    ['range across months', doc('конференции «Семья и школа»', 'Конференция состоялась в Москве 30 ноября – 1 декабря 2023 г. в смешанном формате.'), '2023-11-30', '2023-12-01', 2023],
    ['С … по … range', doc('конференции «Одарённые дети»', 'С 17 по 20 апреля 2017 года в г. Челябинске состоялась конференция.'), '2017-04-17', '2017-04-20', 2017],
    ['hyphenated day range without г.', doc('форума «Учитель года»', '17-18 октября 2019 в Казани прошел форум педагогов.'), '2019-10-17', '2019-10-18', 2019],
    ['«day» in quotes', doc('совещания «Итоги года»', 'Совещание состоялось «28» августа 2024 года в г. Твери.'), '2024-08-28', '2024-08-28', 2024],
    ['numeric day range', doc('семинара «Цифровая школа»', 'Семинар прошел 22-23.11.2024 в дистанционном формате.'), '2024-11-22', '2024-11-23', 2024],
    ['range across the new year', doc('слёта «Зимняя школа»', 'Слёт проходил с 30 декабря 2023 г. по 2 января 2024 г.'), '2023-12-30', '2024-01-02', 2024 - 1],
    ['day month without year, year later in the sentence', doc('чтений «Рождественские чтения»', 'Чтения состоялись 25 января в Вологде в 2024 году.'), '2024-01-25', '2024-01-25', 2024],
    ['ISO date', doc('конференции «Инклюзия»', 'Конференция состоялась 2022-05-12.'), '2022-05-12', '2022-05-12', 2022],
  ];
  it.each(cases)('%s', (_name, raw, start, end, year) => {
    const m = meta(raw);
    expect([m.date_start, m.date_end, m.year]).toEqual([start, end, year]);
  });

  it('ignores document references, deadlines and plans in favour of the event date', () => {
    const raw = doc(
      'конференции «Воспитание»',
      'В соответствии с приказом Минпросвещения России от 12.03.2022 № 123 конференция состоялась 5 октября 2023 г. ' +
        'Стратегия развития воспитания утверждена до 2025 года.',
      'Образовательным организациям:\n- в срок до 01.09.2024 обновить программы;\n- провести следующую конференцию 10 октября 2024 г.',
    );
    const m = meta(raw);
    expect([m.date_start, m.date_end, m.year]).toEqual(['2023-10-05', '2023-10-05', 2023]);
  });

  it('prefers the stated range over the single day in the header that falls inside it', () => {
    const m = meta(doc('форума «Педагог будущего»\n\n21.11.2024', 'Форум проходил 20–21 ноября 2024 г. в Ярославле.'));
    expect([m.date_start, m.date_end]).toEqual(['2024-11-20', '2024-11-21']);
  });

  const yearOnly: [string, string, number | null][] = [
    ['year of the event sentence', doc('конференции «Школа»', 'Конференция состоялась в 2023 году в г. Вологде.'), 2023],
    ['month and year', doc('семинара «Школа»', 'Семинар проходил в апреле 2018 года.'), 2018],
    ['header line with place and year', doc('форума «Школа»\n\nВологда, 2021', 'Форум собрал педагогов региона.'), 2021],
    ['a strategy horizon is not the event year', doc('форума «Благо»', 'Форум обсудил Стратегию развития воспитания до 2025 г.'), null],
    ['a past reference is not the event year', doc('конференции «Школа»', 'Участники вспомнили решения конференции, прошедшей в 2016 году.'), null],
  ];
  it.each(yearOnly)('year without a day: %s', (_name, raw, year) => {
    const m = meta(raw);
    expect(m.date_start).toBeNull();
    expect(m.year).toBe(year);
  });

  it('findDates masks sub-matches of a longer range', () => {
    const text = 'прошла 30 ноября – 1 декабря 2023 г. и 5.12.2023';
    const found = findDates(text, () => ({ start: 0, end: text.length }));
    expect(found.map((d) => [d.from, d.to])).toEqual([
      ['2023-11-30', '2023-12-01'],
      ['2023-12-05', '2023-12-05'],
    ]);
  });

  it('rejects impossible calendar dates', () => {
    const text = '31.02.2024 и 30 февраля 2024 г.';
    expect(findDates(text, () => ({ start: 0, end: text.length }))).toEqual([]);
  });
});

describe('participants', () => {
  const cases: [string, string, number | null][] = [
    ['более N участников', 'Конференция стала площадкой для обмена опытом более 260 участников из Вологодской области и 11 регионов России.', 260],
    ['свыше N человек из N регионов', 'В Конференции приняли участие свыше 450 человек из 65 регионов Российской Федерации.', 450],
    ['N педагогов из N школ', 'В работе конференции приняли участие 70 педагогов и руководителей из 13 школ города.', 70],
    ['более N специалистов', 'В работе конференции приняли участие более 800 специалистов, в числе которых методисты.', 800],
    ['adjective between number and noun', 'В работе семинара приняли участие 45 педагогических работников района.', 45],
    ['thousands with a space', 'Участие в форуме приняли около 1 200 человек.', 1200],
    ['тыс.', 'Форум собрал более 2 тыс. участников из всех регионов.', 2000],
    ['количество участников', 'Количество участников – 150.', 150],
    ['участниками стали', 'Участниками совещания стали 96 руководителей образовательных организаций.', 96],
    ['organisations are not people', 'В конференции приняли участие представители из 30 организаций.', null],
    ['speakers are not the participant count', 'Своим опытом поделились 33 педагога школ города.', null],
    ['количество участников 0', 'Количество участников – 0.', null],
  ];
  it.each(cases)('%s', (_name, sentence, n) => {
    expect(meta(doc('конференции «Школа»', sentence)).participants).toBe(n);
  });
  it('a stray «0» over «Участники …» counts nobody (a fuzz counterexample)', () => {
    expect(meta(':\n0\nУчастники конференции рекомендуют:').participants).toBeNull();
  });
});

describe('level: adjectives in any case', () => {
  const cases: [string, string, string | null][] = [
    ['genitive in the header', 'межрегиональной научно-практической конференции «Служба сопровождения»', 'межрегиональная'],
    ['nominative after a roman numeral', 'II Всероссийская конференция «Родители и школа»', 'всероссийская'],
    ['genitive after a roman numeral', 'VII Международной научно-практической конференции «Одарённые дети»', 'международная'],
    ['областной → региональная', 'областного педагогического совещания «Итоги года»', 'региональная'],
    ['краевой → региональная', 'краевого форума «Образование края»', 'региональная'],
    ['республиканский → региональная', 'Республиканского семинара «Родной язык»', 'региональная'],
    ['городская → муниципальная', 'городской педагогической конференции «Школа будущего»', 'муниципальная'],
    ['районный → муниципальная', 'районного семинара «Читающая школа»', 'муниципальная'],
    ['межмуниципальная', 'межмуниципальной научно-практической конференции «Инновации»', 'межмуниципальная'],
    ['уровень after the noun', 'форума всероссийского уровня «Воспитание»', 'всероссийская'],
    ['no level stated', 'Форум специалистов в области воспитания «Благо Дарю»', null],
    ['a level word inside the title is not the level', 'конференции «Региональные модели поддержки одарённых детей»', null],
    ['an event of a macro-region is interregional', 'XII Форума молодых педагогов Дальнего Востока «Учитель. Наставник. Лидер»', 'межрегиональная'],
    ['… of a federal district', 'Форума педагогов Приволжского федерального округа «Школа»', 'межрегиональная'],
    ['a stated level wins over the macro-region', 'Всероссийского форума педагогов Сибири «Школа»', 'всероссийская'],
  ];
  it.each(cases)('%s', (_name, head, level) => {
    expect(meta(doc(head, 'Участники обсудили вопросы образования.')).level).toBe(level);
  });

  it('reads the level from the event sentence when the header has none', () => {
    expect(meta(doc('«Школа будущего»', 'На Межмуниципальном семинаре, который состоялся 3 марта 2022 г., выступили педагоги.')).level).toBe('межмуниципальная');
  });
});

describe('kind and title', () => {
  const cases: [string, string, string | null, string | null][] = [
    ['конференция, «» title', 'межрегиональной научно-практической конференции «Развитие службы сопровождения»', 'конференция', 'Развитие службы сопровождения'],
    ['title broken over lines', 'конференции «Инновационная деятельность как создание условий\nдля индивидуализации обучения»', 'конференция', 'Инновационная деятельность как создание условий для индивидуализации обучения'],
    ['inner guillemets kept', 'II Всероссийской конференции «Реализация проекта «Современная школа» национального проекта «Образование»»', 'конференция', 'Реализация проекта «Современная школа» национального проекта «Образование»'],
    ['designation between kind and title', 'Форум специалистов в области воспитания и иных педагогических работников «Благо Дарю»', 'форум', 'Благо Дарю'],
    ['круглый стол with “” quotes', 'круглого стола “Семья и школа: диалог поколений”', 'круглый стол', 'Семья и школа: диалог поколений'],
    ['straight quotes with inner quotes', 'семинара "Проект "Точка роста" в сельской школе"', 'семинар', 'Проект "Точка роста" в сельской школе'],
    ['чтения (plural)', 'XV Педагогических чтений «Наследие Ушинского»', 'чтения', 'Наследие Ушинского'],
    ['слёт', 'областного слёта юных экологов «Зелёная планета»', 'слёт', 'Зелёная планета'],
    ['совещание', 'августовского педагогического совещания «Новые стандарты»', 'совещание', 'Новые стандарты'],
    ['вебинар', 'вебинара «Цифровые сервисы учителя»', 'вебинар', 'Цифровые сервисы учителя'],
    ['съезд', 'Съезда учителей «Учитель – профессия будущего»', 'съезд', 'Учитель – профессия будущего'],
    ['no quoted name', 'августовского совещания педагогических работников', 'совещание', null],
  ];
  it.each(cases)('%s', (_name, head, kind, title) => {
    const m = meta(doc(head, 'Участники обсудили вопросы образования.'));
    expect([m.kind, m.title]).toEqual([kind, title]);
  });

  it('a host named in quotes after an abbreviation is not the title', () => {
    const m = meta(doc('семинара\n\nг. Вологда, МОУ «Гимназия №2»', 'Семинар состоялся 5 мая 2022 г.'));
    expect(m.title).toBeNull();
  });

  it('findQuotes pairs nested guillemets', () => {
    const text = 'конференции «Проект «Современная школа» и «Успех»» в 2023';
    const outer = findQuotes(text).find((q) => q.depth === 0)!;
    expect(quoteInner(text, outer)).toBe('Проект «Современная школа» и «Успех»');
  });
});

describe('format', () => {
  const cases: [string, string, string | null][] = [
    ['в гибридном формате', 'Конференция проходила в гибридном формате.', 'гибридный'],
    ['в смешанном формате', 'Конференция состоялась 1 декабря 2023 г. в смешанном формате.', 'смешанный'],
    ['в очном формате', 'Семинар прошел в очном формате на базе школы.', 'очный'],
    ['в заочном формате', 'Конференция проводилась в заочном формате.', 'заочный'],
    ['в дистанционном формате', 'Семинар состоялся в дистанционном формате.', 'дистанционный'],
    ['в режиме онлайн', 'Совещание прошло в режиме онлайн.', 'дистанционный'],
    ['в онлайн-формате', 'Форум прошел в онлайн-формате.', 'дистанционный'],
    ['в формате видеоконференции', 'Совещание проводилось в формате видеоконференции.', 'дистанционный'],
    ['очно-заочный', 'Конференция прошла в очно-заочной форме.', 'смешанный'],
    ['очном и дистанционном форматах', 'Форум проходил в очном и дистанционном форматах.', 'гибридный'],
    ['очное и заочное обсуждение', 'В работе конференции в очном, в том числе с использованием видеоконференцсвязи, и заочном обсуждении вопросов приняли участие более 800 специалистов.', 'смешанный'],
    ['not stated', 'Конференция включала пленарное заседание и секции.', null],
    ['online participants of a stated format', 'Конференция прошла в смешанном формате. Трансляция для онлайн-участников велась в сети.', 'смешанный'],
    ['a title mentioning a format', 'Участники обсудили доклад «Обучение в дистанционном формате».', null],
  ];
  it.each(cases)('%s', (_name, sentence, format) => {
    expect(meta(doc('конференции «Школа»', sentence)).format).toBe(format);
  });

  it('advice in the operative part is not the format', () => {
    const raw = doc('конференции «Школа»', 'Конференция состоялась 3 марта 2022 г.', 'Школам:\n- использовать платформы дистанционного обучения;\n- проводить семинары в онлайн-формате.');
    expect(meta(raw).format).toBeNull();
  });
});

describe('city and region: inflected names to the nominative', () => {
  const cases: [string, string, string, string | null, string | null][] = [
    ['г. X in the header', 'конференции «Школа»\n\nг. Вологда', 'Конференция состоялась 22 ноября 2024 г.', 'Вологда', 'Вологодская область'],
    ['в г. X-е (locative)', 'семинара «Школа»', 'Семинар состоялся 5 мая 2022 г. в г. Вологде.', 'Вологда', 'Вологодская область'],
    ['federal city is its own region', 'конференции «Школа»', 'Конференция состоялась в Москве 30 ноября 2023 г.', 'Москва', 'Москва'],
    ['Санкт-Петербург', 'форума «Школа»', 'Форум прошел в Санкт-Петербурге 12 мая 2023 г.', 'Санкт-Петербург', 'Санкт-Петербург'],
    ['genitive after на базе', 'конференции «Школа»', 'Конференция проходила на базе МОУ «Гимназия №2» г. Вологды.', 'Вологда', 'Вологодская область'],
    ['non-capital city', 'семинара «Школа»', 'Семинар состоялся 10 марта 2023 г. в городе Череповце.', 'Череповец', 'Вологодская область'],
    ['two-word city', 'форума «Школа»', 'Форум прошел в Нижнем Новгороде 3 июня 2023 г.', 'Нижний Новгород', 'Нижегородская область'],
    ['hyphenated city', 'конференции «Школа»', 'Конференция состоялась 12 мая 2021 г. в г. Ростове-на-Дону.', 'Ростов-на-Дону', 'Ростовская область'],
    ['republic capital', 'форума «Школа»', 'Форум состоялся в Казани 1 октября 2022 г.', 'Казань', 'Республика Татарстан'],
    ['feminine soft stem', 'семинара «Школа»', 'Семинар прошел в г. Твери 4 апреля 2022 г.', 'Тверь', 'Тверская область'],
    ['fleeting vowel', 'семинара «Школа»', 'Семинар прошел в г. Орле 4 апреля 2022 г.', 'Орёл', 'Орловская область'],
    ['town unknown to the gazetteer with its region', 'семинара «Школа»', 'Семинар состоялся 4 апреля 2022 г. в г. Грязовце Вологодской области.', 'Грязовец', 'Вологодская область'],
    ['region from the host institution name', 'конференции «Школа»', 'С 17 по 20 апреля 2017 года в Челябинском институте развития образования состоялась конференция.', 'Челябинск', 'Челябинская область'],
    ['region only, from на территории', 'Форум «Благо»', 'Участники отметили работу на территории Смоленской области.', null, 'Смоленская область'],
    ['region from an addressee heading', 'Форум «Благо»', '', null, 'Смоленская область'],
    ['region named in the event sentence', 'семинара «Школа»', 'Семинар прошел 4 апреля 2022 г. в Красноярском крае.', null, 'Красноярский край'],
    ['республика, genitive head with nominative name', 'семинара «Школа»', 'Семинар прошел 4 апреля 2022 г. при поддержке Министерства образования и науки Республики Татарстан.', null, 'Республика Татарстан'],
  ];
  it.each(cases)('%s', (name, head, intro, city, region) => {
    const operative = name.includes('addressee')
      ? 'Департаменту Смоленской области по образованию и науке:\n- способствовать развитию системы воспитания.'
      : undefined;
    const m = meta(doc(head, intro, operative));
    expect([m.city, m.region]).toEqual([city, region]);
  });

  it('participants’ home regions are not the host region', () => {
    const raw = doc(
      'конференции «Школа»',
      'Конференция состоялась 22 ноября 2024 г. при поддержке Министерства образования Вологодской области. ' +
        'Конференция собрала более 260 участников из 11 регионов России (г. Москва, г. Ярославль, Ленинградская, Тульская область, респ. Марий Эл).',
    );
    expect([meta(raw).city, meta(raw).region]).toEqual([null, 'Вологодская область']);
  });

  it('addressees in other regions do not move the event', () => {
    const raw = doc('семинара «Школа»\n\nг. Киров', 'Семинар состоялся 3 марта 2023 г.', 'Министерству образования Пермского края:\n- поддержать опыт.');
    expect([meta(raw).city, meta(raw).region]).toEqual(['Киров', 'Кировская область']);
  });

  it('generates case forms of gazetteer names', () => {
    expect([...nameForms('Вологда')]).toEqual(expect.arrayContaining(['вологды', 'вологде', 'вологду', 'вологдой']));
    expect([...nameForms('Челябинская область')]).toEqual(expect.arrayContaining(['челябинской области', 'челябинскую область', 'челябинской обл']));
    expect([...nameForms('Череповец')]).toEqual(expect.arrayContaining(['череповца', 'череповце']));
    expect([...nameForms('Республика Татарстан')]).toEqual(expect.arrayContaining(['республики татарстан', 'республике татарстан']));
    expect([...nameForms('Ханты-Мансийский автономный округ – Югра')]).toEqual(expect.arrayContaining(['ханты-мансийского автономного округа югры']));
  });
});

describe('format field', () => {
  it('a «Формат проведения:» field after a dateline sentence on the same line states the format', () => {
    expect(meta('Резолюция краевого форума «Детство»\n\nг. Ставрополь, 19 октября 2023 года. Формат проведения: очный с трансляцией (гибридный). Участники: свыше 350 человек.\n\nУчастники форума приняли следующие решения:\n\n1. Рекомендовать школам провести акцию.\n').format).toBe('гибридный');
  });
});

describe('organizer', () => {
  const cases: [string, string, string | null][] = [
    ['Организатор – X, оператор – Y', 'Организатор Конференции – Министерство просвещения Российской Федерации, оператор – ФГБНУ «Институт коррекционной педагогики».', 'Министерство просвещения Российской Федерации'],
    ['на базе abbreviation «name» г. X', 'Конференция проходила на базе МОУ «Гимназия №2» г. Вологды.', 'МОУ «Гимназия №2»'],
    ['на базе word name in the genitive', 'Семинар состоялся 5 мая 2022 г. на базе Вологодского института развития образования.', 'Вологодский институт развития образования'],
    ['host institution in the locative, with its abbreviation elsewhere', 'С 17 по 20 апреля 2017 года в Челябинском институте переподготовки и повышения квалификации работников образования при поддержке Министерства состоялась конференция. Материалы размещены на портале ГБУ ДПО ЧИППКРО.', 'Челябинский институт переподготовки и повышения квалификации работников образования (ГБУ ДПО ЧИППКРО)'],
    ['организована + instrumental', 'Конференция организована Министерством образования Вологодской области.', 'Министерство образования Вологодской области'],
    ['проведена + date + place + instrumental', 'Конференция проведена 18 апреля 2024 года в г. Екатеринбурге Уральским государственным педагогическим университетом в очном формате.', 'Уральский государственный педагогический университет'],
    ['a town\'s own body keeps its town', 'Круглый стол проведён комитетом образования города Курска.', 'Комитет образования города Курска'],
    ['a school does not keep the town after its name', 'Семинар проведён 3 марта 2025 года Гимназией №2 города Курска.', 'Гимназия №2'],
    ['организаторами выступили', 'Организаторами форума выступили Департамент Смоленской области по образованию и науке и ГАУ ДПО СОИРО.', 'Департамент Смоленской области по образованию и науке и ГАУ ДПО СОИРО'],
    ['a venue field naming an institution is the host', 'Место проведения: МБОУ «Средняя общеобразовательная школа № 7», г. Ржев Тверской области', 'МБОУ «Средняя общеобразовательная школа № 7»'],
    ['a venue field naming a town is not a host', 'Место проведения: г. Ржев, Тверская область', null],
    ['support is not organisation', 'Конференция состоялась 22 ноября 2024 г. при поддержке Министерства образования Вологодской области.', null],
    ['a region after в is not a host', 'Семинар состоялся 4 апреля 2022 г. в Вологодской области.', null],
    ['a country abbreviation after в is not a host', 'Конференция прошла 4 апреля 2022 г. в РФ.', null],
  ];
  it.each(cases)('%s', (_name, sentence, organizer) => {
    expect(meta(doc('конференции «Школа»', sentence)).organizer).toBe(organizer);
  });
});

describe('layout: where the facts are', () => {
  it('reads the lead-in line of the operative part ("…, состоявшегося …, рекомендуют:")', () => {
    const m = meta('Участники регионального семинара «Школа», состоявшегося 5 мая 2022 г. в г. Кирове, рекомендуют:\n- продолжить работу.');
    expect(m).toMatchObject({ kind: 'семинар', level: 'региональная', title: 'Школа', date_start: '2022-05-05', city: 'Киров', region: 'Кировская область' });
  });

  it('the "г." of a year is not "город"', () => {
    const m = meta('РЕЗОЛЮЦИЯ\nконференции «Школа»\n«___» ________ 2024 г.\n\nКонференция прошла успешно.');
    expect(m.city).toBeNull();
  });

  it('a header place right after the date, without "г."', () => {
    expect(meta(doc('семинара «Школа»\n\n30 марта 2023 г. Вологда', 'Семинар прошёл успешно.')).city).toBe('Вологда');
  });

  it('reads a letterhead and a closing adoption line', () => {
    const raw =
      'Министерство образования Кировской области\nКОГОАУ ДПО «Институт развития образования Кировской области»\n\n' +
      'РЕЗОЛЮЦИЯ\nрегиональной научно-практической конференции\n«Современные подходы к воспитанию»\n\n' +
      'Участники конференции обсудили вопросы воспитания и отметили высокий уровень организации мероприятия.\n\n' +
      'Участники конференции рекомендуют:\n1. Образовательным организациям внедрять программы воспитания до 1 сентября 2024 г.\n' +
      'Резолюция принята 15.03.2023.';
    const m = meta(raw);
    expect(m).toMatchObject({ level: 'региональная', region: 'Кировская область', date_start: '2023-03-15', year: 2023 });
  });

  it('survives hard-wrapped lines from PDF extraction', () => {
    const raw =
      'РЕЗОЛЮЦИЯ\nII Межрегиональной педагогической конференции «Инновации\nв образовании»\nКонференция проведена 28 октября\n' +
      '2022 года на базе муниципального бюджетного общеобразовательного учреждения\n«Средняя общеобразовательная школа № 5» г. Череповца.\n' +
      'В работе конференции приняли участие 140 педагогов.\nПредложения:\n1) Рекомендовать продолжить работу.';
    expect(meta(raw)).toMatchObject({
      title: 'Инновации в образовании',
      level: 'межрегиональная',
      date_start: '2022-10-28',
      city: 'Череповец',
      region: 'Вологодская область',
      participants: 140,
      organizer: 'Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 5»',
    });
  });
});

describe('a resolution that states nothing', () => {
  it('gives nulls, not guesses', () => {
    const m = meta('РЕЗОЛЮЦИЯ\n\nУчастники обсудили актуальные вопросы.\n\nРекомендовать:\n- продолжить работу.');
    for (const f of META_FIELDS) expect(m[f], f).toBeNull();
  });
});

describe('metadata on the gold sample corpus', () => {
  const files = readdirSync(GOLD_DIR).filter((f) => f.endsWith('.json')).sort();

  const same = (a: unknown, b: unknown) =>
    typeof a === 'string' && typeof b === 'string' ? a.trim().toLowerCase() === b.trim().toLowerCase() : a === b;

  it('matches the gold conference fields (accuracy ≥ 0.9)', () => {
    let right = 0;
    let total = 0;
    const byField = Object.fromEntries(META_FIELDS.map((f) => [f, 0])) as Record<MetaField, number>;
    const mismatches: string[] = [];
    for (const f of files) {
      const gold = JSON.parse(readFileSync(join(GOLD_DIR, f), 'utf8')) as { file: string; conference: ConferenceMeta };
      const text = normaliseText(readFileSync(join(SAMPLE_DIR, gold.file), 'utf8'));
      const got = extractMetadata(text, morph);
      for (const field of META_FIELDS) {
        total++;
        if (same(got[field], gold.conference[field])) {
          right++;
          byField[field]++;
        } else mismatches.push(`${gold.file} ${field}: got ${JSON.stringify(got[field])}, gold ${JSON.stringify(gold.conference[field])}`);
      }
    }
    const accuracy = right / total;
    console.log(
      `metadata accuracy ${right}/${total} = ${accuracy.toFixed(3)}\n` +
        META_FIELDS.map((f) => `  ${f}: ${byField[f]}/${files.length}`).join('\n') +
        (mismatches.length ? `\nmismatches:\n  ${mismatches.join('\n  ')}` : ''),
    );
    expect(files.length).toBe(5);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });
});

describe('places: gazetteer names in running text', () => {
  it('finds declined one- and multi-word names, across the gaps a name may have, and only capitalised ones', async () => {
    const { findPlaces } = await import('../../pipeline/ingest/metadata/places.js');
    const found = (text: string) => findPlaces(text).map((m) => [text.slice(m.start, m.end), m.kind, m.name]);
    expect(found('Семинар прошёл в Республике Башкортостан и в Уфе.')).toEqual([
      ['Республике Башкортостан', 'region', 'Республика Башкортостан'],
      ['Уфе', 'city', 'Уфа'],
    ]);
    // "респ." and a line break inside the name; the longest name wins over the town inside it.
    expect(found('Учителя из респ.\nАдыгея и Горно-Алтайска')).toEqual([
      ['респ.\nАдыгея', 'region', 'Республика Адыгея'],
      ['Горно-Алтайска', 'city', 'Горно-Алтайск'],
    ]);
    // A name with a dash and a name of four words; none without a capital, none across other punctuation.
    expect(found('Ханты-Мансийский автономный округ – Югра, г. Ханты-Мансийск')).toEqual([
      ['Ханты-Мансийский автономный округ – Югра', 'region', 'Ханты-Мансийский автономный округ – Югра'],
      ['Ханты-Мансийск', 'city', 'Ханты-Мансийск'],
    ]);
    expect(found('в республике башкортостан')).toEqual([]);
    expect(found('Республике; Башкортостан')).toEqual([['Башкортостан', 'region', 'Республика Башкортостан']]);
  });
});
