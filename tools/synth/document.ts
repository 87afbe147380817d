/**
 * The style decisions for one document: file type, operative layout, list markers, trigger line,
 * traps, and how the text is typed (blank lines, wrapping, noise). Each is drawn per document so the
 * corpus covers the genre's variety in realistic proportions.
 */
import type { Conference } from './conference.js';
import { markerFor, type Bullet, type Layout, type OperativeStyle } from './layout.js';
import type { Rng } from './random.js';
import type { RenderStyle } from './render.js';
import { TRAP_KINDS, type MarkerFn, type TrapKind } from './traps.js';

const TXT_LAYOUTS: [Layout, number][] = [
  ['headings', 22],
  ['headings-roman', 9],
  ['headings-numbered', 13],
  ['headings-caps', 8],
  ['recommend-headings', 7],
  ['run-on', 10],
  ['proposals', 18],
  ['framing-paragraphs', 6],
];

export function chooseLayout(rng: Rng, md: boolean): Layout {
  if (md && rng.chance(0.8)) return 'headings-md';
  return rng.weighted(TXT_LAYOUTS);
}

const DASHES: [Bullet, number][] = [
  ['-', 4],
  ['–', 3],
  ['—', 1],
  ['•', 2],
  ['·', 1],
];

export function chooseBullet(rng: Rng, layout: Layout): Bullet {
  switch (layout) {
    case 'headings-md':
      return rng.weighted<Bullet>([['-', 4], ['*', 3], ['1.', 1.5], ['–', 1]]);
    case 'headings-roman':
      return rng.weighted<Bullet>([['1)', 6], ['1.', 2], ['-', 1], ['а)', 1]]);
    case 'headings-numbered':
      return rng.weighted<Bullet>([...DASHES, ['а)', 1.5], ['1.1.', 2]]);
    case 'headings-caps':
      return rng.weighted<Bullet>([...DASHES, ['1.', 1], ['1)', 1]]);
    case 'proposals':
      return rng.weighted<Bullet>([['1.', 3], ['1)', 1]]);
    case 'run-on':
    case 'framing-paragraphs':
      return 'none';
    default:
      return rng.weighted<Bullet>([...DASHES, ['1.', 1.5], ['1)', 1.5], ['а)', 1], ['none', 1]]);
  }
}

function chooseTrigger(rng: Rng, layout: Layout, c: Conference): string | null {
  const g = c.kind.gen;
  const recommends = c.kind.gender === 'pl' ? 'рекомендуют' : 'рекомендует';
  const general = [
    `Участники ${g} рекомендуют:`,
    `По итогам работы ${g} принято решение рекомендовать:`,
    `Предложения участников ${g}:`,
    `По итогам ${g} участниками были высказаны следующие предложения:`,
    `В результате обсуждения участники ${g} рекомендовали:`,
    `${c.kind.short} ${recommends}:`,
    `Рекомендации участников ${g}:`,
    `С учётом изложенного участники ${g} предлагают:`,
  ];
  switch (layout) {
    case 'proposals':
      return rng.chance(0.92)
        ? rng.pick([
            ...general,
            `По результатам работы ${g} выдвинуты следующие предложения:`,
            `Участники ${g} считают необходимым:`,
            `Заслушав и обсудив доклады и выступления, участники ${g} решили:`,
          ])
        : null;
    case 'framing-paragraphs':
      return rng.chance(0.3)
        ? rng.pick([`Заслушав и обсудив доклады и выступления, участники ${g} приняли следующие решения:`, `По итогам работы ${g} участники приняли резолюцию:`])
        : null;
    case 'recommend-headings':
      return rng.chance(0.4) ? rng.pick([`По итогам работы ${g} участники решили:`, `Участники ${g} приняли следующую резолюцию:`]) : null;
    case 'headings-md': {
      if (!rng.chance(0.85)) return null;
      const t = rng.pick(general);
      return rng.chance(0.5) ? `**${t}**` : t;
    }
    default:
      return rng.chance(0.85) ? rng.pick(layout === 'run-on' ? general : [...general, 'РЕКОМЕНДАЦИИ']) : null;
  }
}

export function chooseOperativeStyle(rng: Rng, layout: Layout, c: Conference): OperativeStyle {
  const bullet = chooseBullet(rng, layout);
  const ends = rng.weighted<OperativeStyle['ends']>([['semi', 7], ['dot', 2], ['none', bullet === 'none' ? 0 : 1]]);
  // "1.1." items go under "1." headings (variant 2).
  const variant = bullet === '1.1.' ? 2 : rng.int(0, 2);
  return {
    layout,
    bullet,
    capItems: layout !== 'proposals' && rng.chance(0.15),
    ends,
    variant,
    trigger: chooseTrigger(rng, layout, c),
  };
}

export function chooseRenderStyle(rng: Rng, md: boolean): RenderStyle {
  return {
    blank: md ? rng.weighted<RenderStyle['blank']>([['all', 3], ['sections', 2]]) : rng.weighted<RenderStyle['blank']>([['all', 4], ['sections', 3], ['none', 2.5]]),
    wrap: !md && rng.chance(0.3) ? rng.int(70, 100) : null,
    indent: rng.pick(['', '  ', '   ']),
    noise: rng.chance(0.25),
    crlf: !md && rng.chance(0.15),
    bom: rng.chance(0.04),
  };
}

const TRAP_WEIGHTS: Record<TrapKind, number> = {
  goals: 1,
  'goals-paragraph': 0.6,
  tasks: 1,
  'tasks-infinitive': 0.6,
  agenda: 1,
  problems: 1,
  observations: 1,
  links: 0.6,
  'past-report': 0.7,
  'past-report-verb': 0.25,
  evaluative: 0.6,
};

export function chooseTraps(rng: Rng): TrapKind[] {
  const n = rng.weighted<number>([[0, 3], [1, 4], [2, 3], [3, 1.5]]);
  const kinds = new Set<TrapKind>();
  for (let guard = 0; kinds.size < n && guard < 50; guard++) kinds.add(rng.weighted(TRAP_KINDS.map((k) => [k, TRAP_WEIGHTS[k]] as const)));
  return [...kinds];
}

/** Trap lists are often marked like the operative list, sometimes differently, sometimes not at all. */
export function trapMarker(rng: Rng, bullet: Bullet, md: boolean): MarkerFn {
  const same = bullet !== 'none' && bullet !== '1.1.' && rng.chance(0.6);
  const b: Bullet | '' = same ? bullet : rng.pick<Bullet | ''>(md ? ['-', '*', '1.'] : ['-', '–', '•', '1.', '1)', '']);
  return (k) => (b === '' ? '' : markerFor(b, k));
}
