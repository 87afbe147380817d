/**
 * Passages that look like recommendations but are not: goal, task, agenda, problem and observation
 * lists, link lines, reports of earlier recommendations, praise. Each one is quoted (first words) in
 * the gold `not_recommendations`.
 */
import { heading, item, para, quoteStart, type DocBlock } from './blocks.js';
import type { Conference } from './conference.js';
import { capitalise, inflect, TITLE_CASES } from './forms.js';
import { TITLE_PHRASES } from './phrases.js';
import type { Rng } from './random.js';
import { TOPICS } from './themes.js';

export const TRAP_KINDS = [
  'goals',
  'goals-paragraph',
  'tasks',
  'tasks-infinitive',
  'agenda',
  'problems',
  'observations',
  'links',
  'past-report',
  'past-report-verb',
  'evaluative',
] as const;
export type TrapKind = (typeof TRAP_KINDS)[number];

export interface Trap {
  kind: TrapKind;
  blocks: DocBlock[];
  quotes: string[];
}

/** How trap lists are marked in this document: a marker for item k (0-based), or "" for none. */
export type MarkerFn = (k: number) => string;

function subjects(c: Conference, rng: Rng): { nom: string[]; gen: string[]; dat: string[] } {
  const picks = [c.subject, ...rng.shuffle(TOPICS.filter((t) => t !== c.focus)).slice(0, 3).map((t) => rng.pick(TITLE_PHRASES[t]))];
  const form = (c: 'nom' | 'gen' | 'dat') => picks.map((s) => inflect(s, c, TITLE_CASES));
  return { nom: form('nom'), gen: form('gen'), dat: form('dat') };
}

function list(kind: TrapKind, head: string, items: string[], marker: MarkerFn, rng: Rng): Trap {
  const n = rng.int(Math.min(3, items.length), items.length);
  const chosen = items.slice(0, n);
  const blocks: DocBlock[] = [heading(head)];
  chosen.forEach((t, k) => blocks.push(item(marker(k), t, k === chosen.length - 1 ? '.' : ';')));
  return { kind, blocks, quotes: chosen.map((t) => quoteStart(t)) };
}

function single(kind: TrapKind, text: string): Trap {
  return { kind, blocks: [para(text)], quotes: [quoteStart(text)] };
}

export function makeTrap(kind: TrapKind, c: Conference, rng: Rng, marker: MarkerFn): Trap {
  const { nom, gen, dat } = subjects(c, rng);
  const k = c.kind;
  const K = capitalise(k.short);
  const region = c.region.gen;
  switch (kind) {
    case 'goals':
      return list(
        kind,
        rng.pick([`Цели ${k.gen}:`, `Цель ${k.gen}:`, `Основные цели ${k.gen}:`]),
        rng.shuffle([
          `выявление, обсуждение и популяризация лучших практик ${gen[0]}`,
          `обмен опытом работы педагогических и руководящих работников по вопросам ${gen[1]}`,
          `повышение профессиональной компетентности педагогов в вопросах ${gen[0]}`,
          `привлечение внимания профессионального сообщества к проблемам ${gen[2]}`,
          `развитие профессионального диалога между образовательными организациями ${region}`,
          `презентация эффективных моделей ${gen[3]}`,
        ]),
        marker,
        rng,
      );
    case 'goals-paragraph':
      return single(
        kind,
        `Цели ${k.gen} – выявление, обсуждение и популяризация лучших практик ${gen[0]}; повышение уровня компетенций специалистов в вопросах ${gen[1]}.`,
      );
    case 'tasks':
      return list(
        kind,
        rng.pick([`Задачи ${k.gen}:`, 'Задачи:', `Основные задачи ${k.gen}:`]),
        rng.shuffle([
          `актуализация потенциала образовательных организаций в сфере ${gen[0]}`,
          `выявление и распространение эффективных практик ${gen[1]}`,
          `обсуждение механизмов ${gen[0]}`,
          `определение перспективных направлений ${gen[2]}`,
          `формирование профессионального сообщества специалистов в области ${gen[3]}`,
        ]),
        marker,
        rng,
      );
    case 'tasks-infinitive':
      return list(
        kind,
        rng.pick([`Задачи ${k.gen}:`, 'Задачи:']),
        rng.shuffle([
          `обобщить опыт образовательных организаций ${region} в области ${gen[0]}`,
          `выявить проблемы и профессиональные дефициты педагогов в сфере ${gen[1]}`,
          `определить перспективные направления ${gen[2]}`,
          `представить эффективные практики ${gen[0]}`,
          `обсудить механизмы ${gen[3]}`,
        ]),
        marker,
        rng,
      );
    case 'agenda':
      return list(
        kind,
        rng.pick([`${K} ${k.included}:`, `Программа ${k.gen} включала:`, `${K} ${k.included} следующие формы работы:`]),
        [
          `пленарное заседание «${capitalise(nom[0])}: вызовы и решения»`,
          `работу секций «${capitalise(inflect(rng.pick(TITLE_PHRASES[c.focus]), 'nom', TITLE_CASES))}» и «Лучшие практики ${gen[1]}»`,
          `мастер-классы и открытые занятия педагогов образовательных организаций ${region}`,
          `круглый стол «Проблемы и перспективы ${gen[2]}»`,
          'подведение итогов и принятие резолюции',
        ],
        marker,
        rng,
      );
    case 'problems':
      return list(
        kind,
        rng.pick([
          `В ходе ${k.gen} выявлены проблемы:`,
          `В процессе работы ${k.gen} были выявлены и определены наиболее актуальные проблемы:`,
          `Участниками ${k.gen} обозначены следующие проблемы:`,
        ]),
        rng.shuffle([
          `недостаточная подготовленность педагогов к работе в области ${gen[0]}`,
          `дефицит квалифицированных кадров в сфере ${gen[1]}`,
          'низкий уровень вовлечённости родителей в жизнь образовательной организации',
          `отсутствие единых подходов к ${dat[2]}`,
          'высокая документационная нагрузка на педагогических работников',
          `недостаточное ресурсное обеспечение ${gen[3]}`,
        ]),
        marker,
        rng,
      );
    case 'observations':
      return list(
        kind,
        rng.pick([`Участники ${k.gen} отмечают:`, `Участники ${k.gen} констатируют:`, 'Было отмечено:']),
        rng.shuffle([
          `в регионе сложилась система ${gen[0]}`,
          `возрастает роль ${gen[1]} в обеспечении качества образования`,
          `образовательные организации ${region} накопили положительный опыт ${gen[2]}`,
          `востребованность ${gen[3]} среди педагогов растёт`,
          'сохраняется потребность в методическом сопровождении молодых педагогов',
        ]),
        marker,
        rng,
      );
    case 'links': {
      const id = rng.int(10000000, 99999999);
      const lines = [
        `Пленарное заседание: https://vk.com/video-${id}_${rng.int(1000, 9999)}`,
        `Секция «${capitalise(nom[1])}»: https://vk.com/video-${id}_${rng.int(1000, 9999)}`,
        `Материалы ${k.gen} размещены на сайте: https://iro${rng.int(10, 99)}.ru/conf/${c.start.y}`,
      ].slice(rng.int(0, 2));
      return {
        kind,
        blocks: [heading(rng.pick(['Трансляция осуществлялась по следующим ссылкам:', 'Ссылки на записи трансляции:'])), ...lines.map(para)],
        quotes: lines.map((l) => quoteStart(l)),
      };
    }
    case 'past-report': {
      const prev = c.start.y - 1;
      const held = k.gender === 'f' ? 'прошедшей' : k.gender === 'pl' ? 'прошедших' : 'прошедшего';
      return single(
        kind,
        rng.pick([
          `В ходе ${k.gen} было отмечено, что ${c.region.institute.nom} в контексте исполнения рекомендаций резолюции ${k.gen}, ${held} в ${prev} году, продолжил работу по ${dat[0]} и активизировал распространение практик ${gen[1]}.`,
          `Во исполнение рекомендаций ${k.gen} ${prev} года в образовательных организациях ${region} была проведена работа по ${dat[0]}, разработаны и апробированы модели ${gen[1]}.`,
        ]),
      );
    }
    case 'past-report-verb': {
      // Past tense of the framing verb itself: a report, not a recommendation — but worded like one.
      const prev = c.start.y - 1;
      return single(
        kind,
        `В ${prev} году участники ${k.gen} рекомендовали расширить практику ${gen[0]}; за прошедший период эта работа была продолжена в большинстве муниципальных образований ${region}.`,
      );
    }
    case 'evaluative':
      return single(
        kind,
        `Участники ${k.gen} считают необходимым отметить высокий уровень организации проведения ${k.gen}, практическую направленность выступлений и мастер-классов, одобрить представленный опыт педагогов ${region}.`,
      );
  }
}

/** Evaluative items inside a numbered operative list: they praise, they do not recommend. */
export function evaluativeItem(c: Conference, rng: Rng): string {
  const { gen } = subjects(c, rng);
  return rng.pick([
    `Одобрить опыт работы образовательных организаций ${c.region.gen} по вопросам ${gen[0]}`,
    `Принять к сведению информацию о ходе реализации региональной программы ${gen[1]}`,
    `Отметить высокий уровень организации и проведения ${c.kind.gen}`,
  ]);
}
