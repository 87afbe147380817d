/** Conference metadata read from prose (news pages, protocols), issue 12 §3. */
import { describe, it, expect, beforeAll } from 'vitest';
import { extractMetadata } from '../../pipeline/ingest/metadata.js';
import type { ConferenceMeta } from '../../pipeline/store/types.js';
import type { Morph } from '../../pipeline/text/morph.js';
import { normaliseText } from '../../pipeline/text/normalise.js';
import { testMorph } from '../helpers/morph.js';

let morph: Morph;
beforeAll(async () => {
  morph = await testMorph();
});
const meta = (raw: string): ConferenceMeta => extractMetadata(normaliseText(raw), morph);

const news = (body: string, dateline = '11 апреля 2024, 15:20') =>
  `Новости\n\nПедагоги обсудили инклюзию\n\n${dateline}\n\n${body}\n\n«Рекомендовать школам открыть ресурсные классы», — говорится в резолюции.\n\nФото: пресс-служба\n`;

describe('city from event sentences', () => {
  it('«в подмосковных Химках прошёл …»', () => {
    expect(meta(news('В подмосковных Химках прошёл региональный семинар «Инклюзия».')).city).toBe('Химки');
  });
  it('«В Казани состоялся …» and the region from the city', () => {
    const m = meta(news('В Казани состоялся республиканский семинар «Ресурсный класс».'));
    expect([m.city, m.region]).toEqual(['Казань', 'Республика Татарстан']);
  });
  it('a settlement after "с." or "п."', () => {
    expect(meta('РЕЗОЛЮЦИЯ семинара «Сельская школа»\n\nс. Майма, 11 ноября 2024 г.\n\nРекомендовать школам провести ярмарку.\n').city).toBe('Майма');
  });
  it('the place-and-date line under a two-line title, the date spaced out to the right or on the next line', () => {
    const title = 'МИНИСТЕРСТВО ОБРАЗОВАНИЯ КРАСНОЯРСКОГО КРАЯ\n\nРЕЗОЛЮЦИЯ\nкраевой конференции «Инклюзивное образование:\nот равного доступа к равным возможностям»\n\n';
    const body = '\n\nВ работе конференции приняли участие 412 человек.\n\nУчастники рекомендуют:\n1. Школам создать условия.\n';
    expect(meta(`${title}г. Красноярск                              14–15 ноября 2024 г.${body}`).city).toBe('Красноярск');
    expect(meta(`${title}г. Ачинск, «14» ноября 2024 года${body}`).city).toBe('Ачинск');
    expect(meta(`${title}г. Красноярск\n14–15 ноября 2024 г.${body}`).city).toBe('Красноярск');
    // A town in a sentence of the introduction is no place-and-date line.
    expect(meta(`${title}Из г. Норильска приехали 20 педагогов.${body}`).city).toBeNull();
  });
});

describe('event date rather than publication date', () => {
  it('«Семинар … прошёл 3 апреля» in an article dated 11 April takes the article\'s year', () => {
    const m = meta(news('В Казани состоялся республиканский семинар «Ресурсный класс». Семинар прошёл 3 апреля на базе гимназии № 19.'));
    expect([m.date_start, m.year]).toEqual(['2024-04-03', 2024]);
  });
  it('an event in December reported in January belongs to the year before', () => {
    const m = meta(news('Форум «Семья» прошёл 27 декабря в Твери.', '15.01.2025'));
    expect(m.date_start).toBe('2024-12-27');
  });
  it('a byline «15 ноября 2025 г. | Пресс-служба» is the publication; «12–13 ноября прошла …» is the event, in the byline\'s year', () => {
    const m = meta(news('В Новокузнецке 12–13 ноября прошла межрегиональная конференция «Воспитать гражданина».', '15 ноября 2025 г. | Пресс-служба'));
    expect([m.date_start, m.date_end, m.year]).toEqual(['2025-11-12', '2025-11-13', 2025]);
  });
  it('a protocol is dated "от 28.12.2023" in its header', () => {
    const m = meta('ПРОТОКОЛ № 3\nзаседания педагогического совета\nот 28.12.2023\n\nПрисутствовали: 46 педагогических работников\n\nРЕШИЛИ:\n1. Провести консультации.\n');
    expect([m.date_start, m.kind, m.participants]).toEqual(['2023-12-28', 'педсовет', 46]);
  });
});

describe('kind beyond конференция and форум', () => {
  const kind = (phrase: string) => meta(`РЕЗОЛЮЦИЯ\n${phrase} «Школа будущего»\n\nРекомендовать школам провести акцию.\n`).kind;
  it.each([
    ['областного съезда учителей', 'съезд'],
    ['регионального круглого стола', 'круглый стол'],
    ['межрайонного семинара', 'семинар'],
    ['совещания руководителей', 'совещание'],
    ['общешкольного родительского собрания', 'собрание'],
    ['вебинара для педагогов', 'вебинар'],
    ['семинара-практикума', 'семинар-практикум'],
  ])('%s → %s', (phrase, k) => expect(kind(phrase)).toBe(k));
});

describe('title', () => {
  it('is the event\'s name, not a generic word or the headline', () => {
    const m = meta(news('В Казани состоялся круглый стол «Круглый стол». Участники обсудили инклюзию.'));
    expect(m.title).toBeNull();
    expect(meta(news('В Казани прошёл семинар «Ресурсный класс: первые шаги».')).title).toBe('Ресурсный класс: первые шаги');
  });
  it('a quoted project or school name is not the event\'s', () => {
    const m = meta('РЕЗОЛЮЦИЯ\nсеминара в рамках проекта «Точка роста»\n\nМБОУ «Гимназия № 2»\n\nРекомендовать школам провести акцию.\n');
    expect(m.title).toBeNull();
  });
});

describe('participants', () => {
  it('counts only the event\'s participants', () => {
    const m = meta(news('В Казани прошёл семинар «Ресурсный класс». В конкурсе «Учитель года» приняли участие 300 педагогов. В работе семинара приняли участие 85 специалистов.'));
    expect(m.participants).toBe(85);
  });
  it('"N педагогических и руководящих работников" and hyphenated person nouns count', () => {
    expect(meta(news('В Казани прошёл семинар «Логопедия». Участниками семинара стали 120 учителей-логопедов.')).participants).toBe(120);
    expect(meta(news('В Казани прошёл семинар «Кадры». В его работе приняли участие 740 педагогических и руководящих работников.')).participants).toBe(740);
  });
});

describe('format', () => {
  it('a header field "Формат: очный"; topics ("дистанционных технологий") are not the format', () => {
    expect(meta('РЕЗОЛЮЦИЯ круглого стола «Наставник»\n\nФормат: очный\n\nРекомендовать школам провести акцию.\n').format).toBe('очный');
    expect(meta('РЕЗОЛЮЦИЯ семинара «Сельская школа»\n\nСеминар прошёл в Кирове 5 мая 2024 года. Участники обсудили использование дистанционных технологий.\n\nРекомендовать школам провести акцию.\n').format).toBeNull();
  });
});

describe('participants written in words', () => {
  it.each([
    ['В работе конференции приняли участие около трёхсот педагогов.', 300],
    ['В съезде приняли участие около тысячи делегатов.', 1000],
    ['В семинаре приняли участие свыше ста двадцати учителей-логопедов.', 120],
    ['В работе совещания приняли участие более пятисот педагогических и руководящих работников.', 500],
    ['В форуме приняли участие двести пятьдесят старшеклассников и студентов.', 250],
    ['Форум собрал 140 старшеклассников из 16 районов.', 140],
  ])('%s → %i', (sentence, n) => {
    expect(meta(`РЕЗОЛЮЦИЯ\nрегиональной конференции «Школа»\n\n${sentence}\n\nРекомендовать школам провести акцию.\n`).participants).toBe(n);
  });
  it('the event\'s count, not a later count of one of its sessions', () => {
    const m = meta('РЕЗОЛЮЦИЯ\nавгустовского совещания\n\nВ работе совещания приняли участие более пятисот педагогов. Дискуссионная площадка «Наставник» собрала 64 учителя.\n\nРекомендовать школам провести акцию.\n');
    expect(m.participants).toBe(500);
  });
});

describe('a month without a day', () => {
  it('«Москва, март 2024 года» under the title gives the year, no dates', () => {
    const m = meta('РЕЗОЛЮЦИЯ\nвсероссийского форума «Школа»\n\nМосква, март 2024 года\n\nРекомендовать школам провести акцию.\n');
    expect([m.year, m.date_start, m.date_end]).toEqual([2024, null, null]);
  });
});

describe('an organiser in the active voice', () => {
  it.each([
    ['Форум организовал Карельский региональный центр молодёжи.', 'Карельский региональный центр молодёжи'],
    ['Конференцию провело Министерство образования Тверской области.', 'Министерство образования Тверской области'],
  ])('%s', (sentence, organizer) => {
    expect(meta(`РЕЗОЛЮЦИЯ\nрегионального форума «Школа»\n\n${sentence} В работе форума приняли участие 140 человек.\n\nРекомендовать школам провести акцию.\n`).organizer).toBe(organizer);
  });
});
