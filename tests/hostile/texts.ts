/**
 * Resolution texts for the hostile inputs: short, written for these tests (not taken from the sample
 * corpus), each with numbered recommendations under addressee headings so the segmenter finds them.
 */

export interface ResolutionSpec {
  /** The conference, in the genitive after «РЕЗОЛЮЦИЯ». */
  conference: string;
  city: string;
  date: string;
  /** Lines put before the title (e.g. an emoji marker line). */
  preamble?: string[];
  addressees: { heading: string; items: string[] }[];
}

export function resolutionText(spec: ResolutionSpec): string {
  const lines = [...(spec.preamble ?? []), 'РЕЗОЛЮЦИЯ', spec.conference, '', `г. ${spec.city}, ${spec.date}`, ''];
  lines.push('Участники конференции обсудили опыт образовательных организаций области и приняли следующие решения.', '');
  lines.push('Участники конференции рекомендуют:', '');
  let n = 0;
  for (const a of spec.addressees) {
    lines.push(`${a.heading}:`);
    for (const item of a.items) lines.push(`${++n}. ${item}.`);
    lines.push('');
  }
  return lines.join('\n');
}

/** A plain resolution (Cyrillic only). `variant` changes the wording, so variants are different files. */
export function plainResolution(variant = 0): string {
  return resolutionText({
    conference: `областной научно-практической конференции «Семья и школа: диалог поколений${variant ? ` — ${variant}` : ''}»`,
    city: 'Вологда',
    date: `${10 + (variant % 18)} апреля 2024 года`,
    addressees: [
      {
        heading: 'Органам местного самоуправления, осуществляющим управление в сфере образования',
        items: [
          'обеспечить условия для участия родителей в управлении образовательными организациями',
          `организовать консультационные пункты для родителей детей дошкольного возраста${variant ? ` в ${variant} районах` : ''}`,
        ],
      },
      {
        heading: 'Образовательным организациям',
        items: ['проводить родительские собрания в форме открытого диалога с педагогами-психологами', 'разработать программы просвещения родителей по вопросам воспитания'],
      },
    ],
  });
}

/**
 * A resolution with astral characters (one code point, two UTF-16 units) before and inside its
 * recommendations: «📌» (U+1F4CC), mathematical bold and script letters, a jigsaw emoji, a flag (two
 * regional indicators) and a ZWJ sequence.
 */
export function astralResolution(): string {
  return resolutionText({
    preamble: ['📌 🇷🇺 Документ принят 👩‍🏫 участниками'],
    conference: 'региональной конференции «Воспитание в современной школе: 𝐒𝐓𝐄𝐌 и традиции»',
    city: 'Череповец',
    date: '14 марта 2024 года',
    addressees: [
      {
        heading: 'Органам местного самоуправления, осуществляющим управление в сфере образования',
        items: [
          'обеспечить 📌 условия для участия родителей в воспитательных мероприятиях школ',
          'организовать методическое сопровождение 𝒦лассных руководителей по вопросам воспитания',
        ],
      },
      {
        heading: 'Образовательным организациям',
        items: ['разработать программы 🧩 работы с одарёнными детьми с учётом их интересов', 'проводить родительские собрания в формате открытых диалогов'],
      },
    ],
  });
}

/** The recommendation texts of astralResolution() as the segmenter returns them (without the marker and final period). */
export const ASTRAL_RECOMMENDATIONS = [
  'обеспечить 📌 условия для участия родителей в воспитательных мероприятиях школ',
  'организовать методическое сопровождение 𝒦лассных руководителей по вопросам воспитания',
  'разработать программы 🧩 работы с одарёнными детьми с учётом их интересов',
  'проводить родительские собрания в формате открытых диалогов',
];
