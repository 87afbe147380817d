/**
 * Topics the generator writes about, and how their shares move over the years. The four gold themes
 * are topics too; the rest carry no theme. The drift is deliberate so that trend reports have
 * something to find: upbringing rises after 2020 (the 2020 law on upbringing programmes), ОВЗ
 * declines, parental competence has a plateau during the 2019–2024 national project, digital learning
 * spikes in 2020–2021.
 */
export const THEMES = ['ovz', 'giftedness', 'parental_competence', 'upbringing'] as const;
export type Theme = (typeof THEMES)[number];

export const TOPICS = [
  'ovz',
  'giftedness',
  'parental_competence',
  'upbringing',
  'teacher_training',
  'digital_learning',
  'prevention',
  'career_guidance',
  'best_practice_dissemination',
  'methodological_support',
] as const;
export type Topic = (typeof TOPICS)[number];

export const FIRST_YEAR = 2015;
export const LAST_YEAR = 2025;

export function isTheme(t: string): t is Theme {
  return (THEMES as readonly string[]).includes(t);
}

function rawWeight(topic: Topic, year: number): number {
  const t = (year - FIRST_YEAR) / (LAST_YEAR - FIRST_YEAR);
  switch (topic) {
    case 'ovz':
      return 0.22 - 0.13 * t;
    case 'giftedness':
      return 0.15 - 0.04 * t;
    case 'parental_competence':
      return year < 2019 ? 0.08 : year <= 2024 ? 0.16 : 0.12;
    case 'upbringing':
      return year < 2020 ? 0.1 : year === 2020 ? 0.16 : 0.26 + 0.01 * (year - 2021);
    case 'teacher_training':
      return 0.12;
    case 'digital_learning':
      return year === 2020 ? 0.16 : year === 2021 ? 0.14 : year > 2021 ? 0.09 : 0.06;
    case 'prevention':
      return 0.06;
    case 'career_guidance':
      return year < 2022 ? 0.05 : 0.09;
    case 'best_practice_dissemination':
      return 0.09;
    case 'methodological_support':
      return 0.08;
  }
}

/** Topic shares for one year, normalised and rounded to 4 places (the manifest records exactly these). */
export function topicWeights(year: number): Record<Topic, number> {
  const raw = TOPICS.map((t) => rawWeight(t, year));
  const total = raw.reduce((a, b) => a + b, 0);
  const out = {} as Record<Topic, number>;
  TOPICS.forEach((t, i) => (out[t] = Math.round((raw[i] / total) * 10000) / 10000));
  return out;
}

export function weightsByYear(): Record<string, Record<Topic, number>> {
  const out: Record<string, Record<Topic, number>> = {};
  for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) out[String(y)] = topicWeights(y);
  return out;
}

/** Documents per year grow slowly (more resolutions are published online in later years). */
export function yearShare(year: number): number {
  return 1 + 0.12 * (year - FIRST_YEAR);
}
