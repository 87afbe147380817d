/**
 * Who resolutions address, in the dative as headings write them and in the nominative as the gold
 * records them. Written in pairs by hand: the gold must not depend on the segmenter's inflection.
 */
import type { Region } from './regions.js';
import type { Rng } from './random.js';

export interface Addressee {
  dat: string;
  nom: string;
  /** Order in a resolution: federal bodies first, participants last. */
  rank: number;
  /** A proper name keeps its capital letter inside a sentence ("рекомендовать Министерству …"). */
  proper: boolean;
}

interface Entry extends Addressee {
  from?: number;
}

const A = (dat: string, nom: string, rank: number, extra: Partial<Entry> = {}): Entry => ({ dat, nom, rank, proper: false, ...extra });

/** Every addressee a conference in this region and year could name. */
export function addresseesFor(region: Region, year: number, kindGen: string, rng: Rng): Addressee[] {
  const inst = region.institute;
  const institute: Entry = rng.pick([
    A(`${inst.legal} «${inst.nom}»`, `${inst.legal} «${inst.nom}»`, 2, { proper: true }),
    A(inst.dat, inst.nom, 2, { proper: true }),
    ...(inst.short ? [A(`${inst.legal} ${inst.short}`, `${inst.legal} ${inst.short}`, 2, { proper: true })] : []),
  ]);
  const all: Entry[] = [
    year >= 2018
      ? A('Министерству просвещения Российской Федерации', 'Министерство просвещения Российской Федерации', 0, { proper: true })
      : A('Министерству образования и науки Российской Федерации', 'Министерство образования и науки Российской Федерации', 0, { proper: true }),
    A(region.authority.dat, region.authority.nom, 1, { proper: true }),
    institute,
    A(
      'органам местного самоуправления, осуществляющим управление в сфере образования',
      'Органы местного самоуправления, осуществляющие управление в сфере образования',
      3,
    ),
    A('муниципальным органам управления образованием', 'Муниципальные органы управления образованием', 3),
    ...(region.federalCity
      ? []
      : [A(`Управлению образования Администрации города ${region.cityGen}`, `Управление образования Администрации города ${region.cityGen}`, 3, { proper: true })]),
    A('муниципальным методическим службам', 'Муниципальные методические службы', 3),
    A('образовательным организациям', 'Образовательные организации', 4),
    A('общеобразовательным организациям', 'Общеобразовательные организации', 4),
    A('дошкольным образовательным организациям', 'Дошкольные образовательные организации', 4),
    A('организациям дополнительного образования', 'Организации дополнительного образования', 4),
    A('профессиональным образовательным организациям', 'Профессиональные образовательные организации', 4),
    A('руководителям образовательных организаций', 'Руководители образовательных организаций', 4),
    A(
      'центрам психолого-педагогической, медицинской и социальной помощи',
      'Центры психолого-педагогической, медицинской и социальной помощи',
      4,
    ),
    A('педагогическим работникам', 'Педагогические работники', 5),
    A(`участникам ${kindGen}`, `Участники ${kindGen}`, 5),
    A('классным руководителям', 'Классные руководители', 5),
    A('педагогам-психологам образовательных организаций', 'Педагоги-психологи образовательных организаций', 5),
    A('советникам директора по воспитанию', 'Советники директора по воспитанию', 5, { from: 2022 }),
    A('родительской общественности', 'Родительская общественность', 5),
  ];
  return all.filter((a) => a.from === undefined || year >= a.from).map(({ dat, nom, rank, proper }) => ({ dat, nom, rank, proper }));
}

/** 1–5 distinct addressees in resolution order; core ones (authorities, schools) are likelier. */
export function chooseAddressees(pool: Addressee[], count: number, rng: Rng): Addressee[] {
  const weighted = pool.map((a) => [a, a.rank === 4 || a.rank === 1 || a.rank === 2 ? 3 : a.rank === 3 ? 2 : 1] as const);
  const chosen = new Set<Addressee>();
  for (let guard = 0; chosen.size < Math.min(count, pool.length) && guard < 100; guard++) chosen.add(rng.weighted(weighted));
  return [...chosen].sort((a, b) => a.rank - b.rank);
}

/** As a heading opens: "Образовательным организациям", capitalised whatever the sentence form. */
export function headingForm(a: Addressee): string {
  return a.dat.charAt(0).toUpperCase() + a.dat.slice(1);
}
