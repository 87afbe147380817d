import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Morph } from '../../pipeline/text/morph.js';
import { normaliseText } from '../../pipeline/text/normalise.js';
import { segmentResolution, type Segmentation } from '../../pipeline/segment/segment.js';
import { scoreDocument, summarise, type GoldFile } from '../../pipeline/eval/score.js';
import { testMorph } from '../helpers/morph.js';

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

