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
