/**
 * Metadata spelled the ways real resolutions spell it (round 7): formats («очно-дистанционный»,
 * «в онлайн-формате», ВКС, «с применением дистанционных технологий»), levels of the body named after the
 * kind noun, web-page breadcrumbs and menus above the title, and towns mapped to their region.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { extractMetadata } from '../../pipeline/ingest/metadata.js';
import { REGIONS, OTHER_CITIES, FEDERAL_CITIES, cityRegions } from '../../pipeline/ingest/metadata/gazetteer.js';
import { TOWNS_30K } from '../../pipeline/ingest/metadata/towns.js';
import type { ConferenceMeta } from '../../pipeline/store/types.js';
import type { Morph } from '../../pipeline/text/morph.js';
import { normaliseText } from '../../pipeline/text/normalise.js';
import { testMorph } from '../helpers/morph.js';
import { metadataCase } from '../helpers/resolutions.js';

let morph: Morph;
beforeAll(async () => {
  morph = await testMorph();
});

const meta = (raw: string): ConferenceMeta => extractMetadata(normaliseText(raw), morph);
const doc = metadataCase;

describe('format: the genre’s spellings', () => {
  const cases: [string, string, string | null][] = [
    ['очно-дистанционный is in person and remote', 'Конференция проведена в очно-дистанционном формате.', 'гибридный'],
    ['очно-онлайн', 'Семинар прошёл в формате очно-онлайн.', 'гибридный'],
    ['офлайн/онлайн', 'Форум проходил в формате офлайн/онлайн.', 'гибридный'],
    ['в онлайн-формате', 'Собрание, проведённое 20 мая 2026 года в онлайн-формате, объединило родителей.', 'дистанционный'],
    ['в формате видеоконференции', 'Совещание состоялось 3 марта 2025 года в формате видеоконференции.', 'дистанционный'],
    ['в режиме ВКС', 'Совещание проведено 3 марта 2025 года в режиме ВКС.', 'дистанционный'],
    ['с применением дистанционных технологий after the verb', 'Конференция проведена с применением дистанционных технологий на платформе «Сферум».', 'дистанционный'],
    ['с использованием ВКС after the verb', 'Семинар прошёл 4 апреля 2025 года с использованием ВКС.', 'дистанционный'],
    ['в смешанном формате stays смешанный', 'Конференция состоялась 5 мая 2024 года в смешанном формате.', 'смешанный'],
    ['дистанционные технологии as a topic are no format', 'Конференция состоялась 5 мая 2024 года. Участники обсудили обучение с применением дистанционных технологий.', null],
  ];
  it.each(cases)('%s', (_name, intro, format) => {
    expect(meta(doc('конференции «Школа»', intro)).format).toBe(format);
  });
});

describe('level of the body named after the kind noun', () => {
  const cases: [string, string, string | null][] = [
    ['районного методического объединения', 'заседания районного методического объединения учителей начальных классов', 'муниципальная'],
    ['городского методического объединения', 'заседания городского методического объединения учителей истории', 'муниципальная'],
    ['… муниципального района', 'августовского совещания педагогических работников Октябрьского муниципального района', 'муниципальная'],
    ['… городского округа', 'семинара педагогов Губкинского городского округа', 'муниципальная'],
    ['an adjective before the kind noun wins', 'областного совещания руководителей муниципальных органов управления образованием', 'региональная'],
    ['a participant list is not a body', 'семинара для педагогов городских школ', null],
    ['a participant list after «для» is not the body', 'семинара для руководителей районных методических объединений', null],
    ['всероссийская с международным участием', 'Всероссийской научно-практической онлайн-конференции с международным участием', 'всероссийская'],
  ];
  it.each(cases)('%s', (_name, head, level) => {
    expect(meta(doc(head, 'Участники обсудили вопросы работы.')).level).toBe(level);
  });
});

describe('kind with a format prefix', () => {
  it.each([
    ['онлайн-конференции «Детское чтение»', 'конференция', 'Детское чтение'],
    ['веб-семинара «Цифровая школа»', 'семинар', 'Цифровая школа'],
  ])('%s', (head, kind, title) => {
    const m = meta(doc(head, 'Участники обсудили вопросы работы.'));
    expect([m.kind, m.title]).toEqual([kind, title]);
  });
});

describe('web pages: breadcrumb and menu above the title', () => {
  it('reads the title from the title line, not from a shortened breadcrumb', () => {
    const raw =
      'Версия для слабовидящих\nГлавная / Конференции / Резолюция конференции «Учитель будущего»\nПоиск по сайту\n\n' +
      'РЕЗОЛЮЦИЯ\nмежмуниципальной конференции «Учитель будущего: наставничество и профессиональный рост»\nг. Старый Оскол, 28 ноября 2025 г.\n\n' +
      '28 ноября 2025 года состоялась конференция.\n\nУчастники рекомендуют:\n- педагогам участвовать в конкурсах.\n';
    const m = meta(raw);
    expect([m.title, m.level]).toEqual(['Учитель будущего: наставничество и профессиональный рост', 'межмуниципальная']);
  });

  it('skips a menu of short list items before the title', () => {
    const raw =
      '[Перейти к содержимому](#main)\n* Главная\n* О центре\n* Контакты\n\n### Резолюция регионального семинара «Логопедическая помощь»\n\n' +
      'Дата публикации: 02.03.2026\n\n**РЕЗОЛЮЦИЯ**\n**регионального семинара «Логопедическая помощь»**\nг. Петрозаводск, 26 февраля 2026 г.\n\n' +
      '26 февраля 2026 года в Петрозаводске прошёл региональный семинар «Логопедическая помощь».\n\nПо итогам работы семинара рекомендовано:\n\n' +
      '**Учителям-логопедам**\n* вовлекать родителей в коррекционную работу.\n';
    const m = meta(raw);
    expect([m.title, m.kind]).toEqual(['Логопедическая помощь', 'семинар']);
  });

  it('does not jump over an event sentence to a later «РЕКОМЕНДАЦИИ» heading', () => {
    const raw =
      'ПРЕДЛОЖЕНИЯ УЧАСТНИКОВ\nII РЕГИОНАЛЬНОГО СЪЕЗДА ШКОЛЬНЫХ ПСИХОЛОГОВ\n\nЛипецк, 22 ноября 2023 года\n\n' +
      '22 ноября 2023 года в Липецке прошёл II региональный съезд школьных психологов.\n\nРЕКОМЕНДАЦИИ\n\nИНСТИТУТУ РАЗВИТИЯ ОБРАЗОВАНИЯ\n\n' +
      'Разработать программу «Психологическое сопровождение детей».\n';
    const m = meta(raw);
    expect([m.title, m.level, m.city]).toEqual([null, 'региональная', 'Липецк']);
  });
});

describe('towns of ≥ 30,000 people give their region', () => {
  it.each([
    ['Ишим', 'Тюменская область'],
    ['Бердск', 'Новосибирская область'],
    ['Новочеркасск', 'Ростовская область'],
    ['Набережные Челны', 'Республика Татарстан'],
  ])('г. %s → %s', (town, region) => {
    const m = meta(doc('семинара «Школа»', `Семинар состоялся 15 апреля 2026 года в г. ${town}.`));
    expect([m.city, m.region]).toEqual([town, region]);
  });

  it('«Октябрьского муниципального района» is not the town Октябрьский', () => {
    const m = meta(doc('совещания педагогов Октябрьского муниципального района «Школа»', 'Совещание состоялось 27 августа 2025 года.'));
    expect([m.city, m.region]).toEqual([null, null]);
  });

  it('every town’s region is a region of the gazetteer, and no town is listed twice', () => {
    const regions = new Set(REGIONS.map(([r]) => r));
    const towns = TOWNS_30K.flatMap(([region, list]) => {
      expect(regions.has(region), region).toBe(true);
      return [...list];
    });
    expect(new Set(towns).size).toBe(towns.length);
    const elsewhere = new Set([...FEDERAL_CITIES, ...REGIONS.map(([, c]) => c), ...OTHER_CITIES.map(([c]) => c)]);
    expect(towns.filter((t) => elsewhere.has(t))).toEqual([]);
    expect(cityRegions().get('Ишим')).toBe('Тюменская область');
  });
});
