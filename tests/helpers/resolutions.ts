/** One district's own proposals per year, 2019–2023 (each conference's, not repeated elsewhere). */
export const DISTRICT_OWN: Readonly<Record<number, string[]>> = {
  2019: ['провести конкурс школьных театров', 'разработать программу летнего отдыха в пришкольных лагерях'],
  2020: ['организовать дистанционное обучение в период карантина', 'закупить ноутбуки для учителей сельских школ'],
  2021: ['создать центр «Точка роста» в каждой сельской школе', 'провести аудит школьных библиотек'],
  2022: ['внедрить электронные дневники во всех школах района', 'организовать подвоз обучающихся из отдалённых сёл'],
  2023: ['открыть кванториум на базе районного дома творчества', 'обновить спортивные площадки школ'],
};

/**
 * A district teachers' August conference resolution of a given year, written for the tests of stages
 * that compare conferences across years (recurring): a title with the school year, a place and date,
 * the lead-in, one addressee heading and its numbered items.
 */
export function augustResolution(year: number, addressee: string, items: readonly string[]): string {
  return [
    'РЕЗОЛЮЦИЯ',
    `районного августовского совещания педагогических работников «Образование района: итоги ${year - 1}/${year} учебного года»`,
    '',
    `с. Кирово, 26 августа ${year} г.`,
    '',
    `26 августа ${year} года состоялось районное августовское совещание педагогических работников. В совещании приняли участие 120 человек.`,
    '',
    'Участники совещания рекомендуют:',
    '',
    `${addressee}:`,
    ...items.map((t, i) => `${i + 1}. ${t.charAt(0).toUpperCase()}${t.slice(1)}${i === items.length - 1 ? '.' : ';'}`),
    '',
  ].join('\n');
}

/**
 * A minimal resolution around a narrative sentence (the metadata tests): a title line, the head, the
 * intro, a lead-in and one addressee heading with an item, so each case exercises the full extractor.
 */
export const metadataCase = (head: string, intro: string, operative = 'Образовательным организациям:\n- продолжить работу.') =>
  `РЕЗОЛЮЦИЯ\n${head}\n\n${intro}\n\nПо итогам работы участники рекомендовали:\n\n${operative}\n`;
